"""llama.cpp through ``xllamacpp``: GGUF chat models on the CPU, about 4x faster than transformers there.

The prompt is rendered here (``agent.chat_format``) and sent to llama.cpp's completion endpoint, and
tool calls are parsed here too. llama.cpp's own chat endpoint was tried first and is not reliable
for the bundled models: it renders Qwen2.5's tools but leaves the bare JSON calls that Qwen2.5-Coder
writes unparsed in the text, and it drops the tools silently for SmolLM2, whose template has none.
``xllamacpp.Server`` also listens on a local HTTP port; it gets a random API key so that no other
process can use it, and that key reads the model's chat template from ``/props`` once.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import threading
import urllib.request
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from agent.chat_format import ChatPromptRenderer, jinja_render_function
from agent.local_chat import TokenCounts
from retrieval.errors import DriftrecError

DEFAULT_CONTEXT_TOKENS = 8192
_DONE = object()


def default_threads() -> int:
    """Threads for llama.cpp: ``OMP_NUM_THREADS`` when set (tests and benchmarks set 1), else all cores."""
    configured = os.environ.get("OMP_NUM_THREADS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return os.cpu_count() or 1


class LlamaCppEngine:
    """A GGUF model loaded in llama.cpp, generating from rendered prompts one call at a time.

    Args:
        gguf_path: The GGUF file.
        threads: CPU threads for generation and prompt processing.
        context_tokens: Context size (prompt plus reply).

    Raises:
        DriftrecError: llama.cpp cannot load the file.
    """

    backend = "llamacpp"

    def __init__(self, gguf_path: Path, threads: int | None = None,
                 context_tokens: int = DEFAULT_CONTEXT_TOKENS) -> None:
        import xllamacpp

        self.model_name = gguf_path.name
        self.lock = threading.Lock()
        self._api_key = secrets.token_hex(16)
        params = xllamacpp.CommonParams()
        params.model.path = str(gguf_path)
        params.n_ctx = context_tokens
        params.n_parallel = 1
        params.cpuparams.n_threads = threads or default_threads()
        params.cpuparams_batch.n_threads = threads or default_threads()
        params.warmup = False
        params.verbosity = -1  # llama.cpp's log would flood the terminal; errors come back as messages
        params.api_keys = [self._api_key]
        params.ui = False
        try:
            self._server = xllamacpp.Server(params)
        except RuntimeError as error:
            raise DriftrecError(f"llama.cpp could not load {gguf_path}: is it a GGUF chat model? ({error})") from error
        properties = self._properties()
        template = properties.get("chat_template") or ""
        if not template:
            raise DriftrecError(f"{gguf_path.name} has no chat template; choose a chat (instruct) model with --llm")
        special_tokens = {name: properties[name] for name in ("bos_token", "eos_token") if properties.get(name)}
        self._bos_token = special_tokens.get("bos_token", "")
        self.renderer = ChatPromptRenderer(jinja_render_function(template, special_tokens))

    def _properties(self) -> dict[str, Any]:
        """The server's ``/props``: chat template, special tokens (read once, at load)."""
        request = urllib.request.Request(f"{self._server.listening_address}/props",
                                         headers={"Authorization": f"Bearer {self._api_key}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def stream_text(self, prompt: str, *, max_tokens: int, temperature: float, stop: Sequence[str],
                    counts: TokenCounts) -> Generator[str, None, None]:
        """Generate from ``prompt``; stops llama.cpp early if the caller stops reading.

        Raises:
            DriftrecError: llama.cpp refused the request (e.g. the prompt exceeds the context size).
        """
        if self._bos_token and prompt.startswith(self._bos_token):
            prompt = prompt[len(self._bos_token):]  # llama.cpp adds the BOS token itself when the model wants one
        # timings_per_token: every chunk carries the token counts so far, so they are known even when
        # the caller stops early (llama.cpp sends its usage summary only with the last chunk).
        request = {"prompt": prompt, "max_tokens": max_tokens, "temperature": temperature, "stop": list(stop),
                   "stream": True, "cache_prompt": True, "timings_per_token": True}
        chunks: queue.Queue[Any] = queue.Queue()
        stopped = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return stopped.is_set()  # True tells llama.cpp to stop generating

        def run() -> None:
            try:
                self._server.handle_completions(request, on_chunk)
            except Exception as error:  # handed to the reading thread, which raises it
                chunks.put(error)
            finally:
                chunks.put(_DONE)

        worker = threading.Thread(target=run, name="llamacpp-generate", daemon=True)
        worker.start()
        try:
            while (chunk := chunks.get()) is not _DONE:
                if isinstance(chunk, Exception):
                    raise DriftrecError(f"llama.cpp failed while generating: {chunk}") from chunk
                if "error" in chunk:
                    error = chunk["error"]
                    message = error.get("message", error) if isinstance(error, dict) else error
                    raise DriftrecError(f"llama.cpp refused the request: {message}")
                timings = chunk.get("timings")
                if timings:  # prompt tokens = those reused from the prompt cache + those processed now
                    counts.prompt_tokens = int(timings.get("cache_n", 0)) + int(timings.get("prompt_n", 0))
                    counts.completion_tokens = int(timings.get("predicted_n", 0))
                for choice in chunk.get("choices", ()):
                    if choice.get("text"):
                        yield choice["text"]
        finally:
            stopped.set()
            worker.join()
