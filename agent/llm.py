"""The one entry to driftrec's chat model: ``load_chat_model(settings)``.

``Settings.llm`` (``DRIFTREC_LLM``, ``--llm``) names the backend and the model as ``BACKEND:MODEL``:

- ``llamacpp:qwen2.5-0.5b`` (the CPU default), ``llamacpp:smollm2-135m`` (tests), ``llamacpp:/path/x.gguf``:
  llama.cpp on the CPU (``agent.llamacpp_engine``);
- ``transformers:Qwen/Qwen2.5-7B-Instruct`` or any hub id or local folder, or a bundled name (converted
  once to safetensors): transformers + accelerate, bf16, on the GPU when there is one;
- ``openai:MODEL`` with ``Settings.llm_url`` (and ``llm_api_key``): any OpenAI-compatible server, e.g. vLLM.

``auto`` picks transformers with the Qwen 0.5B model on a GPU; on a CPU, the first bundled model
(Qwen 0.5B, then SmolLM2-135M) whose phrasing call, timed once on this machine, fits
:data:`PHRASE_BUDGET_S` (:func:`choose_auto`); none fitting means no model. ``none`` gives no model
(replies from templates). A bare backend takes the default model, a bare
bundled name or ``.gguf`` path takes the ``auto`` backend. Local models load once per process and are
shared by every caller; ``LLMTimer`` measures the time a run spends in the model, whatever the backend.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult
from pydantic import BaseModel, ConfigDict

from agent.local_chat import DEFAULT_MAX_TOKENS, LocalChatModel, TextEngine
from agent.models import BUNDLED_MODELS, DEFAULT_MODEL, bundled_gguf, models_dir, resolve_gguf
from retrieval.errors import DriftrecError
from retrieval.settings import Settings

Backend = Literal["llamacpp", "transformers", "openai"]
BACKENDS: tuple[Backend, ...] = ("llamacpp", "transformers", "openai")


class LLMSpec(BaseModel):
    """A parsed ``Settings.llm``: which backend runs which model."""

    model_config = ConfigDict(frozen=True)

    backend: Backend
    model: str


def _usage_line() -> str:
    return (f"use BACKEND:MODEL with a backend among {', '.join(BACKENDS)} "
            f"(e.g. llamacpp:{DEFAULT_MODEL}), or auto, or none")


def auto_backend() -> Backend:
    """transformers when torch sees a GPU, else llama.cpp (about 4x faster than transformers on a CPU)."""
    import torch

    return "transformers" if torch.cuda.is_available() else "llamacpp"


def is_auto(value: str) -> bool:
    return value.strip().lower() in ("auto", "")


def parse_llm_setting(value: str) -> LLMSpec | None:
    """``Settings.llm`` → the backend and model to load; None for ``none``.

    Raises:
        DriftrecError: an unknown backend (the message lists the valid ones), or no model for ``openai``.
    """
    text = value.strip()
    if text.lower() == "none":
        return None
    if text.lower() in ("auto", ""):
        return LLMSpec(backend=auto_backend(), model=DEFAULT_MODEL)
    backend, separator, model = text.partition(":")
    if not separator:  # a bare backend, or a bare model for the auto backend
        if backend in BACKENDS:
            if backend == "openai":
                raise DriftrecError("name the served model: --llm openai:MODEL (with DRIFTREC_LLM_URL set)")
            return LLMSpec(backend=backend, model=DEFAULT_MODEL)  # type: ignore[arg-type]
        if text in BUNDLED_MODELS or text.lower().endswith(".gguf"):
            return LLMSpec(backend=auto_backend(), model=text)
        raise DriftrecError(f"unknown chat model setting {text!r}: {_usage_line()}")
    if backend not in BACKENDS:
        raise DriftrecError(f"unknown chat model backend {backend!r} in {text!r}: {_usage_line()}")
    model = model.strip()
    if not model:
        if backend == "openai":
            raise DriftrecError("name the served model: --llm openai:MODEL (with DRIFTREC_LLM_URL set)")
        model = DEFAULT_MODEL
    return LLMSpec(backend=backend, model=model)  # type: ignore[arg-type]


_ENGINES: dict[tuple[str, str], TextEngine] = {}
_ENGINES_LOCK = threading.Lock()


def clear_loaded_models() -> None:
    """Forget the loaded local models (tests and benchmarks that time a cold load)."""
    with _ENGINES_LOCK:
        _ENGINES.clear()


def _llamacpp_engine(model: str, settings: Settings) -> TextEngine:
    from agent.llamacpp_engine import LlamaCppEngine

    gguf_path = resolve_gguf(model, settings)  # checks the file (a marker makes repeat checks a stat)
    key = ("llamacpp", str(gguf_path))
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = LlamaCppEngine(gguf_path)
        return _ENGINES[key]


def _transformers_source(model: str, settings: Settings) -> tuple[str, bool]:
    """The folder or hub id transformers loads, converting a GGUF model the first time; and whether it did."""
    from agent.transformers_engine import convert_gguf, converted_dir_name, is_converted

    bundled = model in BUNDLED_MODELS
    if not bundled and not model.lower().endswith(".gguf"):
        return model, False
    gguf_path = bundled_gguf(BUNDLED_MODELS[model], settings) if bundled else resolve_gguf(model, settings)
    folder = models_dir(settings) / converted_dir_name(gguf_path, model if bundled else None)
    if is_converted(folder):
        return str(folder), False
    convert_gguf(gguf_path, folder)
    return str(folder), True


def _transformers_engine(model: str, settings: Settings) -> TextEngine:
    from agent.transformers_engine import TransformersEngine

    with _ENGINES_LOCK:  # held through a conversion: two threads must not convert the same model
        key = ("transformers", model if model not in BUNDLED_MODELS else f"{model}@{models_dir(settings)}")
        if key not in _ENGINES:
            source, converted = _transformers_source(model, settings)
            _ENGINES[key] = TransformersEngine(source, model_name=model, converted=converted)
        return _ENGINES[key]


def _openai_model(model: str, settings: Settings, max_tokens: int) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    if not settings.llm_url:
        raise DriftrecError(f"--llm openai:{model} needs the server's address: set DRIFTREC_LLM_URL "
                            "(e.g. http://localhost:8000/v1 for `vllm serve`)")
    # Local servers (vLLM, llama.cpp) accept any key; ChatOpenAI insists on one.
    return ChatOpenAI(base_url=settings.llm_url, api_key=settings.llm_api_key or "not-needed", model=model,
                      temperature=0.0, max_tokens=max_tokens, stream_usage=True, timeout=120, max_retries=1)


PHRASE_BUDGET_S = 4.0
"""``auto`` on a CPU takes the largest bundled model whose phrasing call, measured on this machine,
fits this many seconds; the list and the code's reply come first whatever the model."""
AUTO_CPU_MODELS = ("qwen2.5-0.5b", "smollm2-135m")
"""Tried in this order: the better model first."""
SPEED_FILE = "phrase-speed.json"


class AutoChoice(BaseModel):
    """What ``auto`` chose and why (printed at start-up)."""

    spec: LLMSpec | None
    why: str


def choose_auto(settings: Settings) -> AutoChoice:
    """``auto``: transformers with the default model on a GPU; on a CPU, the first of
    :data:`AUTO_CPU_MODELS` installed whose measured phrasing time fits :data:`PHRASE_BUDGET_S`,
    else no model (template replies)."""
    if auto_backend() == "transformers":
        return AutoChoice(spec=LLMSpec(backend="transformers", model=DEFAULT_MODEL), why="a GPU is available")
    skipped = []
    for name in AUTO_CPU_MODELS:
        try:
            seconds = measured_phrase_seconds(name, settings)
        except DriftrecError as error:
            skipped.append(f"{name} not usable ({error})")
            continue
        if seconds <= PHRASE_BUDGET_S:
            return AutoChoice(spec=LLMSpec(backend="llamacpp", model=name), why=" ".join(
                [f"{name} phrases a reply in {seconds:.1f} s on this CPU (budget {PHRASE_BUDGET_S:.0f} s)",
                 *(["; " + "; ".join(skipped)] if skipped else [])]))
        skipped.append(f"{name} takes {seconds:.1f} s per reply, over the {PHRASE_BUDGET_S:.0f} s budget")
    return AutoChoice(spec=None, why="no chat model: " + "; ".join(skipped) + " (replies come from templates)")


def measured_phrase_seconds(name: str, settings: Settings) -> float:
    """Seconds one phrasing call of bundled model ``name`` takes on llama.cpp here: measured once per
    machine (a warm-up call, then a timed one) and remembered in the models folder."""
    import json
    import os
    import platform

    from agent.llamacpp_engine import default_threads

    key = f"llamacpp:{name}:{platform.machine()}:{os.cpu_count()}cpu:{default_threads()}threads"
    path = models_dir(settings) / SPEED_FILE
    known = json.loads(path.read_text()) if path.is_file() else {}
    if key in known:
        return float(known[key]["seconds"])
    engine = _llamacpp_engine(name, settings)
    seconds = _time_phrasing(LocalChatModel(engine=engine, max_tokens=DEFAULT_MAX_TOKENS))
    known[key] = {"seconds": round(seconds, 3), "measured_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    path.parent.mkdir(parents=True, exist_ok=True)
    from retrieval.fileio import atomic_write

    atomic_write(path, lambda handle: handle.write(json.dumps(known, indent=1).encode("utf-8")))
    return seconds


def _time_phrasing(model: BaseChatModel) -> float:
    """A phrasing call as a chat turn makes it (the session's prompt and token limit), timed after a warm-up."""
    from agent.session import PHRASE_MAX_TOKENS, PHRASE_PROMPT

    def messages(titles: tuple[str, ...], anchor: str) -> list[tuple[str, str]]:
        listing = "\n".join(f"{n}. {title} — you asked for more Comedy; it is close to {anchor}, which you liked"
                            for n, title in enumerate(titles, 1))
        return [("system", PHRASE_PROMPT),
                ("human", f"Reply so far: Noted: more Comedy. Here are 5 movies for you.\nList:\n{listing}\nSentence:")]

    # The warm-up and the timed call differ after the system prompt, which a real turn shares with
    # the one before (llama.cpp reuses that prefix; it would reuse all of an identical prompt).
    model.invoke(messages(("Liar Liar (1997) [Comedy]", "Clueless (1995) [Comedy, Romance]"), "Toy Story"),
                 max_tokens=PHRASE_MAX_TOKENS)
    began = time.perf_counter()
    model.invoke(messages(("The Full Monty (1997) [Comedy]", "Fargo (1996) [Comedy, Crime, Drama]",
                           "Big (1988) [Comedy, Drama, Fantasy]"), "Groundhog Day"), max_tokens=PHRASE_MAX_TOKENS)
    return time.perf_counter() - began


def load_chat_model(settings: Settings, *, max_tokens: int = DEFAULT_MAX_TOKENS) -> BaseChatModel | None:
    """The chat model ``settings.llm`` names, ready for ``bind_tools``, ``invoke`` and ``stream``.

    Local models are loaded once per process; each call returns a light model object over the shared
    weights, so ``max_tokens`` may differ between callers.

    Args:
        settings: Where ``llm``, ``llm_url``, ``llm_api_key`` and the cache folder come from.
        max_tokens: Most tokens one reply may have.

    Returns:
        The chat model, or None when ``settings.llm`` is ``none``.

    Raises:
        DriftrecError: one line saying what is wrong and how to fix it (unknown backend, model not
            installed, file missing or damaged, hub id not available offline, no server URL).
    """
    spec = choose_auto(settings).spec if is_auto(settings.llm) else parse_llm_setting(settings.llm)
    if spec is None:
        return None
    if spec.backend == "openai":
        return _openai_model(spec.model, settings, max_tokens)
    if spec.backend == "llamacpp":
        engine = _llamacpp_engine(spec.model, settings)
    else:
        engine = _transformers_engine(spec.model, settings)
    return LocalChatModel(engine=engine, max_tokens=max_tokens)


class LLMTimer(BaseCallbackHandler):
    """Adds up the time a run spends inside chat-model calls (pass it in ``config={"callbacks": [...]}``).

    Works for every backend, including ``ChatOpenAI``. The time to first token is that of the first
    model call, measured to its first streamed token (or to its end when it did not stream).

    Attributes:
        calls: Model calls that finished.
        llm_s: Seconds inside model calls, summed.
        first_token_s: From the first call's start to its first token.
        prompt_tokens: Prompt tokens, summed (when the model reports usage).
        completion_tokens: Generated tokens, summed (when the model reports usage).
    """

    def __init__(self) -> None:
        self.calls = 0
        self.llm_s = 0.0
        self.first_token_s: float | None = None
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self._started: dict[UUID, float] = {}
        self._lock = threading.Lock()

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], *, run_id: UUID,
                            **kwargs: Any) -> None:
        with self._lock:
            self._started[run_id] = time.perf_counter()

    def on_llm_new_token(self, token: str, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            if self.first_token_s is None and self.calls == 0 and run_id in self._started:
                self.first_token_s = time.perf_counter() - self._started[run_id]

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            started = self._started.pop(run_id, None)
            if started is None:
                return
            elapsed = time.perf_counter() - started
            self.llm_s += elapsed
            if self.first_token_s is None and self.calls == 0:
                self.first_token_s = elapsed
            self.calls += 1
            for generations in response.generations:
                for generation in generations:
                    usage = getattr(getattr(generation, "message", None), "usage_metadata", None) or {}
                    self.prompt_tokens += int(usage.get("input_tokens", 0))
                    self.completion_tokens += int(usage.get("output_tokens", 0))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            started = self._started.pop(run_id, None)
            if started is not None:
                self.llm_s += time.perf_counter() - started


def describe_model(model: BaseChatModel | None) -> str:
    """A short name for reports: backend and model (``llamacpp qwen2.5-coder-…gguf``), or ``none``."""
    if model is None:
        return "none"
    if isinstance(model, LocalChatModel):
        return f"{model.engine.backend} {model.model_name}"
    return f"{type(model).__name__} {getattr(model, 'model_name', '')}".strip()

