"""RunConfig: what the CLI flags set and what the manifest records (never the API key)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.tasks import task, task_names
from harness.types import GenerationSettings, Mode


class Endpoint(BaseModel):
    """Where one model is served, when it is not the run's --base-url: ``--model NAME@URL[@KEY_VAR]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    api_key_env: str | None = None  # None: the run's --api-key-env


JudgePolicy = Literal["rules", "judge", "both"]
JUDGE_POLICIES: tuple[JudgePolicy, ...] = ("rules", "judge", "both")


class JudgeConfig(BaseModel):
    """A judge model beside the rules (``harness run --judge``; ``harness/judge/``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    base_url: str | None = None  # None: the run's --base-url (or the embedded server for local/...)
    api_key_env: str | None = None  # None: the run's --api-key-env
    policy: JudgePolicy = "rules"  # which verdict the headline metrics count (harness/judge/policy.py)
    sample: int | None = Field(default=None, ge=1)  # judge a seeded sample of this many items; None: all
    consistency: int = Field(default=50, ge=0)  # items judged twice, the fields' order swapped


class RunConfig(BaseModel):
    """Everything that decides a run. Saved in manifest.json and reused by --resume."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: tuple[str, ...] = ("local/smollm2-135m",)  # the embedded model (harness/models/local.py)
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    endpoints: dict[str, Endpoint] = Field(default_factory=dict)  # model -> its own endpoint
    seeds_dir: Path = Path("seeds")
    goldens_dir: Path = Path("goldens")
    prompts_dir: Path = Path("prompts")
    reports_dir: Path = Path("reports")
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    tasks: tuple[str, ...] = Field(default_factory=task_names)
    seeds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    limit: int | None = Field(default=None, ge=1)
    shard: tuple[int, int] | None = None  # (I, N): the I-th of N parts of the items (harness/shards.py)
    samples: int = Field(default=1, ge=1)
    concurrency: int = Field(default=8, ge=1)
    mode: Mode = "json_schema"
    settings: GenerationSettings = GenerationSettings()
    use_cache: bool = True
    max_attempts: int = Field(default=6, ge=1)
    item_deadline_s: float = Field(default=600.0, gt=0)
    backoff_s: float = Field(default=0.5, gt=0)
    judge: JudgeConfig | None = None
    batch: bool = False  # through the provider's Batch API (harness/batch/online.py), not request by request
    batch_poll_s: float = Field(default=30.0, gt=0)

    @field_validator("shard", mode="after")
    @classmethod
    def _one_of_n(cls, shard: tuple[int, int] | None) -> tuple[int, int] | None:
        if shard is not None and not 1 <= shard[0] <= shard[1]:
            raise ValueError(f"shard {shard[0]}/{shard[1]} does not exist: I must be 1 to N")
        return shard

    @field_validator("tasks", mode="after")
    @classmethod
    def _registered(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            task(name)  # a ConfigError naming the known tasks
        return names
