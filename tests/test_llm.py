"""The chat-model layer: tool-call parsing, prompts with tools, the agent loop over a local model,
the bundled models' files (checksum, Qwen join), the three backends, and the errors users see."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Generator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from agent import models
from agent.chat_format import (
    ChatPromptRenderer,
    ToolCallStreamSplitter,
    jinja_render_function,
    parse_tool_calls,
)
from agent.llm import LLMTimer, clear_loaded_models, load_chat_model, parse_llm_setting
from agent.local_chat import LocalChatModel, TokenCounts
from agent.models import BundledModel, PackagedFile, bundled_gguf, join_parts, verify_once
from retrieval.errors import DriftrecError
from retrieval.settings import Settings

# SmolLM2's template (plain ChatML, no tools), as its GGUF file carries it.
CHATML_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Qwen2.5's template (renders tools), as the Qwen2.5-Coder-0.5B GGUF file carries it.
QWEN_TEMPLATE = r"""{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}
    {%- else %}
        {{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\n<tool_call>\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
{%- endif %}
"""

TOOLS = ["recommend", "give_feedback"]


@tool
def recommend(genre: str) -> str:
    """Recommend movies of one genre."""
    return f"Top {genre}: Alien (1979), Heat (1995)"


# --- tool-call parsing ---------------------------------------------------------------------------


def test_parse_qwen_format_with_text_around():
    text = 'Let me look.\n<tool_call>\n{"name": "recommend", "arguments": {"genre": "Horror"}}\n</tool_call>'
    parsed = parse_tool_calls(text, TOOLS)
    assert parsed.content == "Let me look."
    assert [(call["name"], call["args"]) for call in parsed.tool_calls] == [("recommend", {"genre": "Horror"})]
    assert parsed.tool_calls[0]["id"].startswith("call_")


def test_parse_several_calls_and_an_unterminated_last_one():
    text = ('<tool_call>{"name": "recommend", "arguments": {"genre": "Comedy"}}</tool_call>\n'
            '<tool_call>\n{"name": "give_feedback", "arguments": "{\\"message\\": \\"no horror\\"}"}\n')
    parsed = parse_tool_calls(text, TOOLS)
    assert [(call["name"], call["args"]) for call in parsed.tool_calls] == [
        ("recommend", {"genre": "Comedy"}), ("give_feedback", {"message": "no horror"})]
    assert parsed.content == ""
    assert len({call["id"] for call in parsed.tool_calls}) == 2


@pytest.mark.parametrize("text", [
    '{"name": "recommend", "arguments": {"genre": "Drama"}}',
    '```json\n{\n  "name": "recommend",\n  "arguments": {"genre": "Drama"}\n}\n```',
    '[{"name": "recommend", "parameters": {"genre": "Drama"}}]',
])
def test_parse_bare_json_calls(text: str):
    parsed = parse_tool_calls(text, TOOLS)
    assert [(call["name"], call["args"]) for call in parsed.tool_calls] == [("recommend", {"genre": "Drama"})]
    assert parsed.content == ""


@pytest.mark.parametrize("text", [
    '<tool_call>{"name": "recommend", "arguments": {"genre": </tool_call>',  # broken JSON
    '<tool_call>{"arguments": {"genre": "Drama"}}</tool_call>',  # no name
    '<tool_call>{"name": "recommend", "arguments": [1, 2]}</tool_call>',  # arguments not an object
    '{"name": "Alien", "year": 1979}',  # JSON, but not a call: no arguments
    '{"name": "recommend", "arguments": {"genre": "Drama"}} and then some words',
    "I would suggest Alien (1979).",
    "",
])
def test_malformed_or_plain_output_stays_text(text: str):
    parsed = parse_tool_calls(text, TOOLS)
    assert parsed.tool_calls == []
    assert parsed.content == text.strip() or parsed.content == text


def test_a_looping_call_counts_once_and_a_cut_off_tail_is_dropped():
    call = '{"name": "recommend", "arguments": {"genre": "Horror"}}'
    bare = f'{call}\n{call.replace("recommend", "Recommend")}\n{call[:30]}'
    tagged = f"<tool_call>{call}</tool_call>\n<tool_call>{call}</tool_call>\n<tool_call>{call[:30]}"
    for text in (bare, tagged):
        parsed = parse_tool_calls(text, TOOLS)
        assert [(c["name"], c["args"]) for c in parsed.tool_calls] == [("recommend", {"genre": "Horror"})]
        assert parsed.content == ""


def test_tool_names_are_matched_loosely_but_unknown_ones_kept():
    text = ('<tool_call>{"name": "Give Feedback", "arguments": {"message": "more comedy"}}</tool_call>'
            '<tool_call>{"name": "Recommend Horror Movies", "arguments": {"genre": "Horror"}}</tool_call>')
    assert [call["name"] for call in parse_tool_calls(text, TOOLS).tool_calls] == ["give_feedback", "Recommend Horror Movies"]


def test_no_tools_offered_means_no_calls():
    text = '<tool_call>{"name": "recommend", "arguments": {}}</tool_call>'
    assert parse_tool_calls(text, []).content == text


def _split(splitter: ToolCallStreamSplitter, pieces: Sequence[str]) -> tuple[list[str], Any]:
    shown = [piece for piece in (splitter.feed(p) for p in pieces) if piece]
    return shown, splitter.finish()


def test_stream_splitter_shows_text_at_once_and_holds_calls():
    shown, final = _split(ToolCallStreamSplitter(TOOLS), ["Sure", ", here", " are some <", "b>movies</b>."])
    assert shown[:2] == ["Sure", ", here"]  # text goes out as it comes
    assert "".join(shown) + final.content == "Sure, here are some <b>movies</b>."
    assert final.tool_calls == []

    pieces = ["<tool", "_call>\n", '{"name": "recommend", ', '"arguments": {"genre": "Horror"}}', "\n</tool_call>"]
    shown, final = _split(ToolCallStreamSplitter(TOOLS), pieces)
    assert shown == [] and final.content == ""
    assert [call["args"] for call in final.tool_calls] == [{"genre": "Horror"}]

    pieces = ["Checking", " now.\n<tool", '_call>{"name": "recommend", "arguments": {"genre": "War"}}</tool_call>']
    shown, final = _split(ToolCallStreamSplitter(TOOLS), pieces)
    assert "".join(shown) == "Checking now.\n" and "<tool" not in "".join(shown)
    assert [call["args"] for call in final.tool_calls] == [{"genre": "War"}]

    shown, final = _split(ToolCallStreamSplitter(TOOLS), ["{", '"not": "a call"}'])  # held, then given back
    assert shown == [] and final.content == '{"not": "a call"}' and final.tool_calls == []


# --- prompts with tools ----------------------------------------------------------------------------

TOOL_SCHEMA = {"type": "function", "function": {"name": "recommend", "description": "Recommend movies of one genre.",
                                                 "parameters": {"type": "object", "properties": {"genre": {"type": "string"}},
                                                                "required": ["genre"]}}}

CONVERSATION = [
    SystemMessage("You recommend movies."),
    HumanMessage("Something scary?"),
    AIMessage("", tool_calls=[{"name": "recommend", "args": {"genre": "Horror"}, "id": "call_1"}]),
    ToolMessage("Top Horror: Alien (1979)", tool_call_id="call_1", name="recommend"),
]


def test_template_with_tool_support_renders_the_tools_itself():
    renderer = ChatPromptRenderer(jinja_render_function(QWEN_TEMPLATE, {}))
    assert renderer.native_tools
    prompt = renderer.render(CONVERSATION, [TOOL_SCHEMA])
    assert prompt.startswith("<|im_start|>system\nYou recommend movies.\n\n# Tools")
    assert json.dumps(TOOL_SCHEMA) in prompt
    assert '<tool_call>\n{"name": "recommend", "arguments": {"genre": "Horror"}}\n</tool_call>' in prompt
    assert "<|im_start|>user\n<tool_response>\nTop Horror: Alien (1979)\n</tool_response><|im_end|>" in prompt
    assert prompt.endswith("<|im_start|>assistant\n")


def test_template_without_tool_support_gets_the_tools_in_the_system_message():
    renderer = ChatPromptRenderer(jinja_render_function(CHATML_TEMPLATE, {}))
    assert not renderer.native_tools
    prompt = renderer.render(CONVERSATION, [TOOL_SCHEMA])
    system = prompt.split("<|im_end|>")[0]
    assert system.startswith("<|im_start|>system\nYou recommend movies.\n\n# Tools")
    assert '"name": "recommend"' in system and "<tool_call>" in system
    assert '<|im_start|>assistant\n<tool_call>\n{"name": "recommend", "arguments": {"genre": "Horror"}}\n</tool_call>' in prompt
    assert "<|im_start|>user\n<tool_response>\nTop Horror: Alien (1979)\n</tool_response><|im_end|>" in prompt
    without_tools = renderer.render(CONVERSATION[:2], None)
    assert "# Tools" not in without_tools and without_tools.endswith("<|im_start|>assistant\n")


# --- the chat model over a scripted engine: agent loop, streaming, lock ----------------------------


class ScriptedEngine:
    """Returns canned replies in small pieces, through a real chat template; records the prompts."""

    backend = "scripted"
    model_name = "scripted"

    def __init__(self, replies: Sequence[str], template: str = QWEN_TEMPLATE, delay_s: float = 0.0) -> None:
        self.pieces_given = 0
        self.lock = threading.Lock()
        self.renderer = ChatPromptRenderer(jinja_render_function(template, {}))
        self.replies = list(replies)
        self.prompts: list[str] = []
        self.delay_s = delay_s
        self.active = 0
        self.most_active = 0

    def stream_text(self, prompt: str, *, max_tokens: int, temperature: float, stop: Sequence[str],
                    counts: TokenCounts) -> Generator[str, None, None]:
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            self.prompts.append(prompt)
            reply = self.replies.pop(0)
            counts.prompt_tokens, counts.completion_tokens = len(prompt.split()), len(reply.split())
            for start in range(0, len(reply), 4):
                time.sleep(self.delay_s)
                self.pieces_given += 1
                yield reply[start:start + 4]
        finally:
            self.active -= 1


def test_create_agent_runs_a_tool_and_answers():
    engine = ScriptedEngine([
        '<tool_call>\n{"name": "recommend", "arguments": {"genre": "Horror"}}\n</tool_call>',
        "Try Alien (1979) tonight.",
    ])
    agent = create_agent(LocalChatModel(engine=engine), [recommend], system_prompt="You recommend movies.")
    timer = LLMTimer()
    result = agent.invoke({"messages": [HumanMessage("Something scary?")]}, config={"callbacks": [timer]})
    messages = result["messages"]
    assert messages[1].tool_calls[0]["args"] == {"genre": "Horror"}
    assert isinstance(messages[2], ToolMessage) and messages[2].content == "Top Horror: Alien (1979), Heat (1995)"
    assert messages[-1].content == "Try Alien (1979) tonight." and not messages[-1].tool_calls
    assert "# Tools" in engine.prompts[0] and '"recommend"' in engine.prompts[0]
    assert "<tool_response>\nTop Horror: Alien (1979), Heat (1995)\n</tool_response>" in engine.prompts[1]
    assert timer.calls == 2 and timer.llm_s > 0 and timer.first_token_s is not None
    assert messages[-1].usage_metadata["output_tokens"] == 4
    assert messages[-1].response_metadata["timings"]["total_s"] >= 0


def test_agent_streams_text_chunks_and_a_tool_call_chunk():
    engine = ScriptedEngine(['{"name": "recommend", "arguments": {"genre": "War"}}', "Here are war movies you may like."],
                            template=CHATML_TEMPLATE)
    agent = create_agent(LocalChatModel(engine=engine), [recommend], system_prompt="You recommend movies.")
    chunks = [chunk for chunk, _ in agent.stream({"messages": [HumanMessage("war films")]}, stream_mode="messages")
              if isinstance(chunk, AIMessageChunk)]
    calls = [call for chunk in chunks for call in chunk.tool_call_chunks]
    assert [(call["name"], json.loads(call["args"])) for call in calls] == [("recommend", {"genre": "War"})]
    text_chunks = [chunk.content for chunk in chunks if chunk.content]
    assert len(text_chunks) > 3 and "".join(text_chunks) == "Here are war movies you may like."
    assert "# Tools" in engine.prompts[0]  # ChatML has no tools: they went into the system message


def test_structured_output_goes_through_a_tool_call():
    from pydantic import BaseModel

    class Wish(BaseModel):
        """What the user wants more of."""

        more_genres: list[str]

    engine = ScriptedEngine(['{"name": "Wish", "arguments": {"more_genres": ["Comedy"]}}', "I am not sure."],
                            template=CHATML_TEMPLATE)
    extractor = LocalChatModel(engine=engine).with_structured_output(Wish)
    assert extractor.invoke("more comedy please") == Wish(more_genres=["Comedy"])
    assert extractor.invoke("hmm") is None  # no call: nothing extracted, no crash


def test_generation_stops_when_the_model_loops_on_its_call():
    call = '<tool_call>{"name": "recommend", "arguments": {"genre": "Horror"}}</tool_call>\n'
    engine = ScriptedEngine([call * 20])
    reply = LocalChatModel(engine=engine).bind_tools([recommend]).invoke("scary")
    assert [c["args"] for c in reply.tool_calls] == [{"genre": "Horror"}]
    assert engine.pieces_given < 3 * len(call) / 4  # stopped during the second copy, not after twenty


def test_a_reader_that_stops_early_frees_the_model():
    engine = ScriptedEngine(["a long reply that the reader will not finish", "second"])
    model = LocalChatModel(engine=engine)
    stream = model.stream("hi")
    assert next(stream).content == "a lo"
    stream.close()
    assert engine.active == 0 and not engine.lock.locked()
    assert model.invoke("again").content == "second"


def test_generation_is_serialised_and_the_wait_is_reported():
    engine = ScriptedEngine(["one two three four", "five six seven eight"], delay_s=0.02)
    first, second = LocalChatModel(engine=engine), LocalChatModel(engine=engine)
    threads = [threading.Thread(target=model.invoke, args=("hi",)) for model in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert engine.most_active == 1
    waits = sorted(model.last_timings.wait_s for model in (first, second))
    assert waits[1] > 0.05  # one call waited for the other's five pieces
    assert first.last_timings.completion_tokens == 4 and first.last_timings.first_token_s is not None


# --- bundled model files: checksum once, Qwen join ---------------------------------------------------


def _parts(folder: Path, contents: Sequence[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, content in enumerate(contents, start=1):
        path = folder / f"part0{index}.bin"
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_join_parts_checks_size_and_sha(tmp_path: Path):
    contents = [b"a" * 1000, b"b" * 1000, b"c" * 17]
    whole = b"".join(contents)
    parts = _parts(tmp_path / "parts", contents)
    destination = tmp_path / "models" / "joined.gguf"
    join_parts(parts, destination, len(whole), hashlib.sha256(whole).hexdigest())
    assert destination.read_bytes() == whole

    other = tmp_path / "models2" / "joined.gguf"
    with pytest.raises(DriftrecError, match="reinstall") as raised:
        join_parts(parts, other, len(whole), "0" * 64)
    assert "\n" not in str(raised.value)
    assert not other.exists() and list(other.parent.iterdir()) == []  # no temp file left behind


def test_bundled_split_model_joins_once_and_rejoins_a_damaged_copy(tmp_path: Path, monkeypatch):
    contents = [b"x" * 4096, b"y" * 4096, b"z" * 100]
    whole = b"".join(contents)
    parts = _parts(tmp_path / "site-packages", contents)
    split = BundledModel(name="split-test", file_name="split-test.gguf", sha256=hashlib.sha256(whole).hexdigest(),
                         size=len(whole), install_hint="run `make models`",
                         parts=tuple(PackagedFile(distribution=f"fake-part{i}", path_suffix=p.name)
                                     for i, p in enumerate(parts, start=1)))
    located = {f"fake-part{i}": p for i, p in enumerate(parts, start=1)}
    monkeypatch.setattr(models, "locate_packaged_file", lambda packaged: located.get(packaged.distribution))
    settings = Settings()
    joined = bundled_gguf(split, settings)
    assert joined == settings.cache_dir / "models" / "split-test.gguf" and joined.read_bytes() == whole

    def no_hashing(path: Path) -> str:
        raise AssertionError("an unchanged checked file must not be hashed again")

    monkeypatch.setattr(models, "sha256_of", no_hashing)
    assert bundled_gguf(split, settings) == joined
    monkeypatch.undo()
    monkeypatch.setattr(models, "locate_packaged_file", lambda packaged: located.get(packaged.distribution))
    joined.write_bytes(b"damaged")
    assert bundled_gguf(split, settings).read_bytes() == whole

    del located["fake-part2"]
    joined.unlink()
    with pytest.raises(DriftrecError, match=r"split-test is not installed: run `make models`.*--llm"):
        bundled_gguf(split, settings)


def test_smollm2_checksum_is_checked_once(monkeypatch):
    settings = Settings()
    path = bundled_gguf(models.SMOLLM2_135M, settings)
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size == models.SMOLLM2_135M.size
    monkeypatch.setattr(models, "sha256_of", lambda path: pytest.fail("checked twice"))
    assert bundled_gguf(models.SMOLLM2_135M, settings) == path


def test_bad_checksum_is_one_clear_line(tmp_path: Path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not the model")
    with pytest.raises(DriftrecError, match="damaged.*reinstall") as raised:
        verify_once(fake, models.SMOLLM2_135M.sha256, tmp_path / "markers", "the smollm2-135m model file")
    assert "\n" not in str(raised.value)


# --- choosing the model, and errors ---------------------------------------------------------------


def test_settings_values():
    import torch

    assert parse_llm_setting("none") is None
    assert parse_llm_setting("llamacpp:smollm2-135m").model_dump() == {"backend": "llamacpp", "model": "smollm2-135m"}
    assert parse_llm_setting("transformers:Qwen/Qwen2.5-7B-Instruct").model == "Qwen/Qwen2.5-7B-Instruct"
    assert parse_llm_setting("llamacpp").model == "qwen2.5-0.5b"
    assert parse_llm_setting("smollm2-135m").model == "smollm2-135m"
    auto = parse_llm_setting("auto")
    assert auto.model == "qwen2.5-0.5b" and auto.backend == ("transformers" if torch.cuda.is_available() else "llamacpp")
    assert load_chat_model(Settings(llm="none")) is None


def test_unknown_backend_lists_the_valid_ones():
    with pytest.raises(DriftrecError, match="unknown chat model backend 'ollama'.*llamacpp, transformers, openai"):
        load_chat_model(Settings(llm="ollama:llama3"))


def test_missing_gguf_path_and_missing_bundled_model(tmp_path: Path, monkeypatch):
    with pytest.raises(DriftrecError, match="GGUF file not found"):
        load_chat_model(Settings(llm=f"llamacpp:{tmp_path / 'nowhere.gguf'}"))
    monkeypatch.setattr(models, "locate_packaged_file", lambda packaged: None)
    with pytest.raises(DriftrecError) as raised:
        load_chat_model(Settings(llm="llamacpp:qwen2.5-0.5b"))
    assert str(raised.value) == ("the default chat model qwen2.5-0.5b is not installed: run `make models` (or pip "
                                 "install --no-deps -r requirements/llm-default.txt), or choose another with --llm")


def test_hub_id_offline_fails_fast_with_one_line(monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    with pytest.raises(DriftrecError, match="not in the Hugging Face cache and the hub is offline") as raised:
        load_chat_model(Settings(llm="transformers:driftrec-tests/no-such-model"))
    assert time.perf_counter() - started < 15 and "\n" not in str(raised.value)


def test_openai_needs_a_url():
    with pytest.raises(DriftrecError, match="DRIFTREC_LLM_URL"):
        load_chat_model(Settings(llm="openai:some-model"))


# --- OpenAI-compatible server -----------------------------------------------------------------------


class ScriptedOpenAIHandler(BaseHTTPRequestHandler):
    """Answers every chat completion with one call to ``recommend``; keeps the requests it saw."""

    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        reply = {
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": None,
                "tool_calls": [{"id": "call_abc", "type": "function",
                                "function": {"name": "recommend", "arguments": '{"genre": "Comedy"}'}}]}}],
            "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19},
        }
        payload = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        return


def test_openai_backend_returns_the_servers_tool_call():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedOpenAIHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        model = load_chat_model(Settings(llm="openai:served-model", llm_url=url, llm_api_key="secret"))
        reply = model.bind_tools([recommend]).invoke("something funny")
    finally:
        server.shutdown()
    assert reply.tool_calls == [{"name": "recommend", "args": {"genre": "Comedy"}, "id": "call_abc", "type": "tool_call"}]
    seen = ScriptedOpenAIHandler.requests[-1]
    assert seen["path"] == "/v1/chat/completions" and seen["auth"] == "Bearer secret"
    assert seen["body"]["model"] == "served-model" and seen["body"]["temperature"] == 0
    assert [t["function"]["name"] for t in seen["body"]["tools"]] == ["recommend"]


# --- real models ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_smollm2_through_llamacpp_answers_and_streams():
    clear_loaded_models()
    settings = Settings(llm="llamacpp:smollm2-135m")
    started = time.perf_counter()
    model = load_chat_model(settings, max_tokens=24)
    load_s = time.perf_counter() - started
    assert load_chat_model(settings).engine is model.engine  # loaded once per process

    reply = model.invoke([HumanMessage("Name one famous movie.")])
    assert isinstance(reply.content, str) and reply.content.strip()
    timings = model.last_timings
    assert timings.prompt_tokens > 5 and 0 < timings.completion_tokens <= 24
    chunks = list(model.stream([HumanMessage("Count from one to ten.")]))
    assert sum(1 for chunk in chunks if chunk.content) > 3
    stream = model.stream([HumanMessage("Tell me a long story.")])
    next(stream)
    stream.close()  # stops llama.cpp and frees the model for the next call
    assert not model.engine.lock.locked()
    tool_reply = model.bind_tools([recommend]).invoke([HumanMessage("Recommend a horror movie.")])
    assert isinstance(tool_reply, AIMessage)  # a weak model may or may not call the tool; it must not crash
    print(f"\nllama.cpp SmolLM2: load {load_s:.2f}s, first token {timings.first_token_s:.2f}s, "
          f"{model.last_timings.tokens_per_s:.1f} tok/s")
    assert load_s < 30


@pytest.mark.slow
def test_smollm2_through_transformers_converts_once_to_bf16():
    import torch

    clear_loaded_models()
    settings = Settings(llm="transformers:smollm2-135m")
    started = time.perf_counter()
    model = load_chat_model(settings, max_tokens=12)
    first_load_s = time.perf_counter() - started
    copy = settings.cache_dir / "models" / "smollm2-135m-bf16"
    assert model.engine.converted and (copy / "model.safetensors").is_file()
    assert (copy / "driftrec-conversion.json").is_file()

    clear_loaded_models()
    started = time.perf_counter()
    model = load_chat_model(settings, max_tokens=12)
    second_load_s = time.perf_counter() - started
    assert not model.engine.converted and second_load_s < first_load_s
    assert model.engine.dtype == torch.bfloat16

    reply = model.invoke([HumanMessage("Say hello.")])
    assert reply.content.strip() and 0 < model.last_timings.completion_tokens <= 12
    print(f"\ntransformers SmolLM2: convert+load {first_load_s:.1f}s, reload {second_load_s:.1f}s, "
          f"{model.last_timings.tokens_per_s:.1f} tok/s")
    clear_loaded_models()


def test_auto_on_a_cpu_takes_the_best_model_that_fits_the_measured_budget(monkeypatch, tmp_path):
    import agent.llm as llm

    monkeypatch.setattr(llm, "auto_backend", lambda: "llamacpp")
    settings = Settings(home=tmp_path)
    timings: dict[str, float | Exception] = {}

    def measured(name, _settings):
        if isinstance(timings[name], Exception):
            raise timings[name]
        return timings[name]

    monkeypatch.setattr(llm, "measured_phrase_seconds", measured)
    timings.update({"qwen2.5-0.5b": 1.2, "smollm2-135m": 0.5})
    assert llm.choose_auto(settings).spec.model == "qwen2.5-0.5b"
    timings["qwen2.5-0.5b"] = llm.PHRASE_BUDGET_S + 5
    choice = llm.choose_auto(settings)
    assert choice.spec.model == "smollm2-135m" and "over the 4 s budget" in choice.why
    timings["qwen2.5-0.5b"] = DriftrecError("run `make models`")
    assert "qwen2.5-0.5b not usable (run `make models`)" in llm.choose_auto(settings).why
    timings["smollm2-135m"] = llm.PHRASE_BUDGET_S + 1
    choice = llm.choose_auto(settings)
    assert choice.spec is None and "replies come from templates" in choice.why
    assert llm.load_chat_model(settings.model_copy(update={"llm": "auto"})) is None


def test_the_phrasing_speed_is_measured_once_per_machine(monkeypatch, tmp_path):
    import agent.llm as llm

    settings = Settings(home=tmp_path, llm="llamacpp:smollm2-135m")
    first = llm.measured_phrase_seconds("smollm2-135m", settings)
    assert 0 < first < 60 and (llm.models_dir(settings) / llm.SPEED_FILE).is_file()
    monkeypatch.setattr(llm, "_llamacpp_engine", lambda *a: pytest.fail("measured again"))
    assert llm.measured_phrase_seconds("smollm2-135m", settings) == pytest.approx(first, abs=1e-3)
