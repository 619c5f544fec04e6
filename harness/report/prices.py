"""The --prices table: USD per million tokens per model, from YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from harness.errors import ConfigError, yaml_problem
from harness.metrics import Price


def load_prices(path: Path) -> dict[str, Price]:
    """A YAML mapping of model name -> {input_per_mtok, output_per_mtok[, cached_input_per_mtok]}."""

    def fail(
        message: str, fix: str = "write `MODEL: {input_per_mtok: 0.15, output_per_mtok: 0.6}` per model"
    ) -> ConfigError:
        return ConfigError(f"--prices {path}: {message}. Fix: {fix}")

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail("no such file", "pass the path of your YAML price table") from None
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror})", "pass a readable YAML file") from None
    except UnicodeDecodeError:
        raise fail("it is not UTF-8 text", "save it as UTF-8 YAML") from None
    except yaml.YAMLError as exc:
        problem = yaml_problem(str(path), exc)
        where = f" at line {problem.line}" if problem.line else ""
        raise fail(f"bad YAML{where} ({problem.message.removeprefix('bad YAML: ')})") from None
    if not isinstance(raw, dict):
        raise fail("not a mapping of model names")
    prices = {}
    for name, entry in raw.items():
        try:
            prices[str(name)] = Price.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise fail(f"model {name}: {f'field {field}: ' if field else ''}{err['msg']}") from None
    return prices
