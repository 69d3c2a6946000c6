"""A LangChain chat model over a local text generator (llama.cpp or transformers), with tool calling.

``LocalChatModel`` renders the conversation and the bound tools through the model's chat template
(``ChatPromptRenderer``), generates text with an engine, and reads tool calls back out of the text
(``ToolCallStreamSplitter``), so ``bind_tools``, ``AIMessage.tool_calls`` and ``stream`` work as with
a hosted model, and so does ``langchain.agents.create_agent``. Generation is serialised by the
engine's lock: one model instance in memory, several Gradio threads. Each call's timings (time to
first token, total, token counts) land in ``last_timings`` and in the message's ``response_metadata``
so that a benchmark can split time in the model from time outside it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, Protocol

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field

from agent.chat_format import ChatPromptRenderer, ParsedReply, ToolCallStreamSplitter

DEFAULT_MAX_TOKENS = 512


class TokenCounts(BaseModel):
    """Token counts an engine fills in while it generates."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


class GenerationTimings(BaseModel):
    """Where the time of one model call went.

    Attributes:
        prompt_tokens: Tokens in the rendered prompt.
        completion_tokens: Tokens generated.
        wait_s: Time spent waiting for another call to finish (generation is serialised).
        first_token_s: From the start of generation to the first generated text (None if there was none).
        total_s: From the start of generation to its end (excluding ``wait_s``).
    """

    prompt_tokens: int
    completion_tokens: int
    wait_s: float
    first_token_s: float | None
    total_s: float

    @property
    def tokens_per_s(self) -> float:
        """Generated tokens per second, after the first one (the prompt's processing excluded)."""
        decode_s = self.total_s - (self.first_token_s or 0.0)
        return (self.completion_tokens - 1) / decode_s if self.completion_tokens > 1 and decode_s > 0 else 0.0


class TextEngine(Protocol):
    """A loaded local model that turns a prompt into text, one call at a time.

    Attributes:
        backend: ``llamacpp`` or ``transformers`` (or a test's scripted engine).
        model_name: What was loaded, for messages and metadata.
        lock: Held for the whole of one generation.
        renderer: Renders chat messages and tools with the model's chat template.
    """

    backend: str
    model_name: str
    lock: threading.Lock
    renderer: ChatPromptRenderer

    def stream_text(self, prompt: str, *, max_tokens: int, temperature: float, stop: Sequence[str],
                    counts: TokenCounts) -> Generator[str, None, None]:
        """Generate from ``prompt``, yielding text pieces as they come; fills ``counts``."""
        ...


def _tool_names(tools: Sequence[dict[str, Any]] | None) -> list[str]:
    return [tool["function"]["name"] for tool in tools or ()]


class LocalChatModel(BaseChatModel):
    """A chat model over a local ``TextEngine``, with tool calling and streaming.

    Attributes:
        engine: The loaded model (shared by every ``LocalChatModel`` over it).
        max_tokens: Most tokens one call generates (override per call with ``max_tokens=``).
        temperature: 0 is greedy decoding (the default: replies and tool calls should be repeatable).
        last_timings: Timings of the latest call that finished.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Any = Field(exclude=True)
    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float = 0.0
    last_timings: GenerationTimings | None = Field(default=None, exclude=True)

    @property
    def _llm_type(self) -> str:
        return f"driftrec-{self.engine.backend}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"backend": self.engine.backend, "model_name": self.engine.model_name,
                "max_tokens": self.max_tokens, "temperature": self.temperature}

    @property
    def model_name(self) -> str:
        """The loaded model's name or path."""
        return str(self.engine.model_name)

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Offer ``tools`` to the model (rendered into the prompt by its chat template).

        ``tool_choice="none"`` hides the tools; any other choice is left to the model, which a local
        template cannot force. Other keyword arguments (``strict``, ``parallel_tool_calls``) are accepted
        and have no effect here.
        """
        schemas = [convert_to_openai_tool(tool) for tool in tools]
        return self.bind(tools=schemas, tool_choice=tool_choice, **kwargs)

    def _chunks(self, messages: list[BaseMessage], stop: list[str] | None,
                run_manager: CallbackManagerForLLMRun | None, options: dict[str, Any]) -> Iterator[ChatGenerationChunk]:
        tools = options.get("tools") or None
        if options.get("tool_choice") == "none":
            tools = None
        names = _tool_names(tools)
        prompt = self.engine.renderer.render(messages, tools)
        splitter = ToolCallStreamSplitter(names) if names else None
        temperature = options.get("temperature")
        counts = TokenCounts()
        asked = time.perf_counter()
        with self.engine.lock:
            started = time.perf_counter()
            first_token_s: float | None = None
            pieces = self.engine.stream_text(
                prompt,
                max_tokens=int(options.get("max_tokens") or self.max_tokens),
                temperature=float(self.temperature if temperature is None else temperature),
                stop=list(stop or ()),
                counts=counts,
            )
            try:
                for piece in pieces:
                    if first_token_s is None:
                        first_token_s = time.perf_counter() - started
                    shown = splitter.feed(piece) if splitter else piece
                    if shown:
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=shown))
                        if run_manager is not None:
                            run_manager.on_llm_new_token(shown, chunk=chunk)
                        yield chunk
                    if splitter and splitter.repeats_a_call():
                        break  # a small model looping on its call: the rest is the same call again
            finally:
                pieces.close()  # a reader that stops early stops the engine before the lock is released
            total_s = time.perf_counter() - started
        timings = GenerationTimings(prompt_tokens=counts.prompt_tokens, completion_tokens=counts.completion_tokens,
                                    wait_s=started - asked, first_token_s=first_token_s, total_s=total_s)
        self.last_timings = timings
        final = splitter.finish() if splitter else ParsedReply(content="")
        yield self._final_chunk(final, timings)

    def _final_chunk(self, final: ParsedReply, timings: GenerationTimings) -> ChatGenerationChunk:
        usage = UsageMetadata(input_tokens=timings.prompt_tokens, output_tokens=timings.completion_tokens,
                              total_tokens=timings.prompt_tokens + timings.completion_tokens)
        message = AIMessageChunk(
            content=final.content,
            tool_call_chunks=[
                tool_call_chunk(name=call["name"], args=_json_args(call["args"]), id=call["id"], index=index)
                for index, call in enumerate(final.tool_calls)
            ],
            usage_metadata=usage,
            response_metadata={"model_name": self.model_name, "backend": self.engine.backend,
                               "timings": timings.model_dump(),
                               "finish_reason": "tool_calls" if final.tool_calls else "stop"},
            chunk_position="last",
        )
        return ChatGenerationChunk(message=message)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._chunks(messages, stop, None, kwargs))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        yield from self._chunks(messages, stop, run_manager, kwargs)


def _json_args(arguments: dict[str, Any]) -> str:
    return json.dumps(arguments, ensure_ascii=False)
