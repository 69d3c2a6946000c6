"""An OpenAI-compatible chat server on the CPU: llama.cpp's own HTTP server, embedded by ``xllamacpp``.

Several app workers share one model this way (``--llm openai:NAME --llm-url http://HOST:PORT/v1``)
instead of each loading its own copy and competing for the same cores. On a GPU, use vLLM
(``vllm serve MODEL``) the same way. ``driftrec llm-server`` runs this; ``driftrec cluster``
starts it for its workers.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

from agent.llamacpp_engine import DEFAULT_CONTEXT_TOKENS, default_threads
from agent.models import resolve_gguf
from retrieval.errors import DriftrecError
from retrieval.settings import Settings


class LlmServer:
    """llama.cpp serving ``/v1/chat/completions`` on ``host:port`` for a GGUF model.

    Args:
        model: A bundled model name (``qwen2.5-0.5b``, ``smollm2-135m``) or a GGUF path.
        settings: Where bundled models are unpacked.
        host, port: Where to listen (127.0.0.1: this machine only).
        parallel: Requests generated at once (llama.cpp slots; each gets ``context_tokens``).
        threads: CPU threads (all cores by default).

    Raises:
        DriftrecError: The model cannot be found or loaded, or the port cannot be bound.
    """

    def __init__(self, model: str, settings: Settings, host: str = "127.0.0.1", port: int = 8080,
                 parallel: int = 2, threads: int | None = None, context_tokens: int = DEFAULT_CONTEXT_TOKENS) -> None:
        import xllamacpp

        self.model = model
        path = resolve_gguf(model, settings)
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_parallel = parallel
        params.n_ctx = context_tokens * parallel  # llama.cpp splits the context between the slots
        params.cpuparams.n_threads = threads or default_threads()
        params.cpuparams_batch.n_threads = threads or default_threads()
        params.hostnames = [host]
        params.port = port
        params.verbosity = -1
        params.ui = False
        try:
            self._server = xllamacpp.Server(params)
        except RuntimeError as error:
            raise DriftrecError(f"llama.cpp could not serve {path} on {host}:{port} ({error})") from error

    @property
    def url(self) -> str:
        """The OpenAI base URL (``…/v1``) to give the workers as ``--llm-url``."""
        return f"{self._server.listening_address}/v1"

    def check(self) -> dict[str, Any]:
        """One short completion over HTTP, as a worker will send it; returns the server's answer."""
        body = json.dumps({"model": self.model, "max_tokens": 4,
                           "messages": [{"role": "user", "content": "Say OK."}]}).encode()
        request = urllib.request.Request(f"{self.url}/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)

    def serve_forever(self) -> None:
        """Block until the process is interrupted (llama.cpp serves from its own threads)."""
        threading.Event().wait()
