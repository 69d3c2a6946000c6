"""Chat prompts with tools for local models, and tool calls read back out of the generated text.

A local model sees tools only through its chat template. Templates with tool support (Qwen2.5's)
render the tool schemas themselves; for templates without it (SmolLM2's plain ChatML) the schemas go
into the system message in the same Qwen/Hermes wording, earlier tool calls become assistant text and
tool results become ``<tool_response>`` user turns. The model answers with
``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` blocks, or (small models often do) a bare
JSON object; ``parse_tool_calls`` reads both, leaves anything malformed as plain text, and counts a
call that a small model repeats in a loop once.
``ToolCallStreamSplitter`` does the same while the text streams: it lets plain text through at once
and holds back what may be a tool call until the end.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import TemplateError
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import BaseModel, Field

TOOL_CALL_OPEN = "<tool_call>"
TOOL_CALL_CLOSE = "</tool_call>"
_TOOL_CALL_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_CODE_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
_JSON_DECODER = json.JSONDecoder()

# A render function: (chat messages as dicts, tool schemas or None) -> prompt text.
RenderFunction = Callable[[list[dict[str, Any]], list[dict[str, Any]] | None], str]

_PROBE_TOOL = {
    "type": "function",
    "function": {
        "name": "probe_tool_support",
        "description": "Only used to find out whether a chat template renders tools.",
        "parameters": {"type": "object", "properties": {}},
    },
}


class ParsedReply(BaseModel):
    """A model's output split into the text to show and the tool calls it asked for."""

    content: str
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)


def hermes_tools_prompt(tools: Sequence[dict[str, Any]]) -> str:
    """The tool instructions Qwen2.5's template writes, for templates that cannot render tools."""
    schemas = "\n".join(json.dumps(tool, ensure_ascii=False) for tool in tools)
    return (
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        "You are provided with function signatures within <tools></tools> XML tags:\n"
        f"<tools>\n{schemas}\n</tools>\n\n"
        "For each function call, return a json object with function name and arguments within "
        "<tool_call></tool_call> XML tags:\n"
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
    )


def _tool_call_text(name: str, arguments: dict[str, Any]) -> str:
    payload = json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False)
    return f"{TOOL_CALL_OPEN}\n{payload}\n{TOOL_CALL_CLOSE}"


def to_template_messages(messages: Sequence[BaseMessage], native_tools: bool) -> list[dict[str, Any]]:
    """LangChain messages → the dicts chat templates read.

    Args:
        messages: The conversation, oldest first.
        native_tools: The template renders tool calls and tool results itself; when False they are
            written as text (assistant ``<tool_call>`` blocks, user ``<tool_response>`` turns).
    """
    converted: list[dict[str, Any]] = []
    for message in messages:
        text = message.text
        if isinstance(message, SystemMessage):
            converted.append({"role": "system", "content": text})
        elif isinstance(message, HumanMessage):
            converted.append({"role": "user", "content": text})
        elif isinstance(message, AIMessage):
            calls = [(call["name"], call["args"], call.get("id")) for call in message.tool_calls]
            if native_tools and calls:
                converted.append({
                    "role": "assistant",
                    "content": text,
                    "tool_calls": [
                        {"type": "function", "id": call_id, "function": {"name": name, "arguments": args}}
                        for name, args, call_id in calls
                    ],
                })
            else:
                parts = [text] if text else []
                parts += [_tool_call_text(name, args) for name, args, _ in calls]
                converted.append({"role": "assistant", "content": "\n".join(parts)})
        elif isinstance(message, ToolMessage):
            if native_tools:
                converted.append({"role": "tool", "content": text, "tool_call_id": message.tool_call_id,
                                  "name": message.name})
                continue
            response = f"<tool_response>\n{text}\n</tool_response>"
            previous = converted[-1] if converted else None
            if previous is not None and previous.get("from_tools"):
                previous["content"] += "\n" + response  # consecutive results share one user turn
            else:
                converted.append({"role": "user", "content": response, "from_tools": True})
        else:
            raise TypeError(f"unsupported message type for a local chat model: {type(message).__name__}")
    for message in converted:
        message.pop("from_tools", None)
    return converted


def _with_tools_in_system(messages: list[dict[str, Any]], tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    instructions = hermes_tools_prompt(tools)
    if messages and messages[0]["role"] == "system":
        first = dict(messages[0], content=f"{messages[0]['content']}\n\n{instructions}")
        return [first, *messages[1:]]
    return [{"role": "system", "content": instructions}, *messages]


class ChatPromptRenderer:
    """Renders a conversation with tools through a model's chat template, falling back to the system message.

    Args:
        render: Renders chat dicts (and tool schemas, or None) with the model's template, ending with
            the assistant's generation prompt.
    """

    def __init__(self, render: RenderFunction) -> None:
        self._render = render
        self._native_tools: bool | None = None

    @property
    def native_tools(self) -> bool:
        """Whether the template renders tools itself (found once, by rendering a probe tool)."""
        if self._native_tools is None:
            probe = [{"role": "user", "content": "hello"}]
            try:
                with_tool = self._render(probe, [_PROBE_TOOL])
            except TemplateError:  # a template that cannot take tools at all: they go in the system message
                with_tool = None
            self._native_tools = with_tool is not None and with_tool != self._render(probe, None)
        return self._native_tools

    def render(self, messages: Sequence[BaseMessage], tools: Sequence[dict[str, Any]] | None) -> str:
        """The prompt text for ``messages`` with ``tools`` (OpenAI tool schemas) offered to the model."""
        native = self.native_tools
        chat = to_template_messages(messages, native_tools=native)
        if not tools:
            return self._render(chat, None)
        if native:
            return self._render(chat, list(tools))
        return self._render(_with_tools_in_system(chat, tools), None)


def jinja_render_function(chat_template: str, special_tokens: dict[str, str]) -> RenderFunction:
    """A render function for a Jinja chat template, rendered as ``tokenizer.apply_chat_template`` does.

    Args:
        chat_template: The template text (a GGUF file's ``tokenizer.chat_template``).
        special_tokens: Variables templates read, such as ``bos_token`` and ``eos_token``.
    """
    from transformers.utils.chat_template_utils import render_jinja_template  # imports no torch

    def render(messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> str:
        rendered, _ = render_jinja_template(conversations=[messages], tools=tools, chat_template=chat_template,
                                            add_generation_prompt=True, **special_tokens)
        return rendered[0]

    return render


def _new_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _as_tool_call(candidate: object, require_arguments: bool) -> dict[str, Any] | None:
    """A ``{"name": ..., "arguments": {...}}`` object as a LangChain tool call, or None when it is not one.

    Args:
        candidate: A decoded JSON value.
        require_arguments: Only accept objects that spell out ``arguments`` (or ``parameters``), for
            JSON found without ``<tool_call>`` tags.
    """
    if not isinstance(candidate, dict) or not isinstance(candidate.get("name"), str):
        return None
    if require_arguments and not ("arguments" in candidate or "parameters" in candidate):
        return None
    arguments = candidate.get("arguments", candidate.get("parameters", {}))
    if isinstance(arguments, str):  # some models write the arguments as a JSON string
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError:
            return None
    if not isinstance(arguments, dict):
        return None
    return {"name": candidate["name"], "args": arguments, "id": _new_call_id(), "type": "tool_call"}


def _decode_json_values(text: str) -> tuple[list[Any], str] | None:
    """Consecutive JSON values at the start of ``text`` and the text after them; None if it starts otherwise."""
    values: list[Any] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text) or text[position] not in "{[":
            break
        try:
            value, position = _JSON_DECODER.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        values.append(value)
    return (values, text[position:]) if values else None


def _strip_code_fence(text: str) -> str:
    return _CODE_FENCE.sub("", text.strip())


def _calls_in_block(body: str, require_arguments: bool, allow_cut_tail: bool) -> list[dict[str, Any]] | None:
    """The calls in a piece of text that must hold nothing but calls; None when it holds anything else.

    Args:
        body: The text (a ``<tool_call>`` block's inside, or a whole reply).
        require_arguments: See ``_as_tool_call``.
        allow_cut_tail: Ignore an unfinished JSON value after the complete ones (generation cut off by
            ``max_tokens`` while a small model repeated its call).
    """
    decoded = _decode_json_values(_strip_code_fence(body))
    if decoded is None:
        return None
    values, rest = decoded
    rest = rest.strip()
    if rest and not (allow_cut_tail and rest[0] in "{["):
        return None
    flat = [item for value in values for item in (value if isinstance(value, list) else [value])]
    calls = [_as_tool_call(value, require_arguments) for value in flat]
    return None if not calls or any(call is None for call in calls) else calls  # type: ignore[return-value]


def _read_calls(text: str) -> ParsedReply:
    """Tool calls as the model wrote them (no name matching, no de-duplication)."""
    if TOOL_CALL_OPEN not in text:
        calls = _calls_in_block(text, require_arguments=True, allow_cut_tail=True)
        return ParsedReply(content="", tool_calls=calls) if calls is not None else ParsedReply(content=text)
    found: list[dict[str, Any]] = []
    kept: list[str] = []
    position = 0
    for block in _TOOL_CALL_BLOCK.finditer(text):
        kept.append(text[position:block.start()])
        position = block.end()
        block_calls = _calls_in_block(block.group(1), require_arguments=False, allow_cut_tail=False)
        if block_calls is not None:
            found.extend(block_calls)
        elif found and not block.group(0).endswith(TOOL_CALL_CLOSE):
            continue  # a last call cut off by max_tokens after complete ones: drop it
        else:
            kept.append(block.group(0))  # not a readable call: show it as it was written
    kept.append(text[position:])
    return ParsedReply(content="".join(kept).strip(), tool_calls=found)


def _call_key(call: dict[str, Any]) -> tuple[str, str]:
    return call["name"], json.dumps(call["args"], sort_keys=True)


def parse_tool_calls(text: str, tool_names: Sequence[str]) -> ParsedReply:
    """Split a model's output into text and tool calls. Malformed calls stay in the text; nothing raises.

    Reads ``<tool_call>{...}</tool_call>`` blocks (an unterminated last block counts, as generation may
    stop before the closing tag), and without tags a bare JSON object (or several, or a list, maybe in
    a code fence) that has both ``name`` and ``arguments`` (or ``parameters``), so that another JSON
    answer is not mistaken for a call. A name that differs from an offered tool's only in case or
    separators (``Give Feedback``) is corrected; a call to a tool that is not offered is still
    returned, and the agent answers it with an error the model can act on. A call repeated with the
    same arguments counts once (small models loop on their call until ``max_tokens``).

    Args:
        text: The generated text.
        tool_names: Names of the tools offered; with none, the text is never read as tool calls.
    """
    if not tool_names:
        return ParsedReply(content=text)
    parsed = _read_calls(text)
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for call in parsed.tool_calls:
        call["name"] = canonical_tool_name(call["name"], tool_names)
        unique.setdefault(_call_key(call), call)
    return ParsedReply(content=parsed.content, tool_calls=list(unique.values()))


def canonical_tool_name(name: str, tool_names: Sequence[str]) -> str:
    """The offered tool a name means when it differs only in case, spaces or dashes (``Give Feedback``)."""
    if name in tool_names:
        return name
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    matches = [offered for offered in tool_names if re.sub(r"[^a-z0-9]+", "_", offered.lower()).strip("_") == key]
    return matches[0] if len(matches) == 1 else name


def _partial_tag_suffix(text: str) -> int:
    """Length of the longest end of ``text`` that could be the start of ``<tool_call>``."""
    for length in range(min(len(TOOL_CALL_OPEN) - 1, len(text)), 0, -1):
        if TOOL_CALL_OPEN.startswith(text[-length:]):
            return length
    return 0


class ToolCallStreamSplitter:
    """Streams plain text as it comes and holds back what may be a tool call until the output ends.

    Output that starts like a call (``<tool_call>``, a JSON value, a code fence) is buffered whole;
    text that turns into a call half-way is shown up to the tag. ``finish`` parses what was held.

    Args:
        tool_names: Names of the tools offered (see ``parse_tool_calls``).
    """

    _CALL_STARTS = (TOOL_CALL_OPEN, "{", "[", "```")

    def __init__(self, tool_names: Sequence[str]) -> None:
        self._tool_names = list(tool_names)
        self._pending = ""
        self._holding_call = False
        self._decided = False

    def feed(self, piece: str) -> str:
        """Add generated text; returns the text that can be shown now (maybe empty)."""
        self._pending += piece
        if self._holding_call:
            return ""
        if not self._decided:
            leading = self._pending.lstrip()
            if not leading or any(start.startswith(leading) for start in self._CALL_STARTS):
                return ""  # too short to tell
            self._decided = True
            if leading.startswith(self._CALL_STARTS):
                self._holding_call = True
                return ""
        tag_at = self._pending.find(TOOL_CALL_OPEN)
        if tag_at >= 0:
            shown, self._pending = self._pending[:tag_at], self._pending[tag_at:]
            self._holding_call = True
            return shown
        keep = _partial_tag_suffix(self._pending)
        shown = self._pending[: len(self._pending) - keep]
        self._pending = self._pending[len(shown):]
        return shown

    def repeats_a_call(self) -> bool:
        """True once the held output repeats a complete call: the rest would be the same loop, so stop."""
        if not self._holding_call:
            return False
        calls = _read_calls(self._pending).tool_calls
        return len({_call_key(call) for call in calls}) < len(calls)

    def finish(self) -> ParsedReply:
        """The held-back text, parsed: its tool calls and the text still to show."""
        held, self._pending = self._pending, ""
        if not self._holding_call:
            return ParsedReply(content=held)
        return parse_tool_calls(held, self._tool_names)
