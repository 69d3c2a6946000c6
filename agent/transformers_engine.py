"""transformers + accelerate: any hub id or local folder, on a GPU when there is one, in bf16.

The bundled GGUF models load here too, through a safetensors copy made once: transformers
de-quantizes a GGUF file at every load (20-75 s), while the converted bf16 copy under
``settings.cache_dir / "models"`` reloads in seconds. ``save_pretrained`` refuses a GGUF-loaded model
until its quantizer is dropped (``hf_quantizer = None``, ``del config.quantization_config``); the
weights are already de-quantized by then, so the copy holds plain bf16 tensors.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agent.chat_format import ChatPromptRenderer
from agent.local_chat import TokenCounts
from retrieval.errors import DriftrecError

CONVERSION_MARKER = "driftrec-conversion.json"


class ConversionRecord(BaseModel):
    """Written last into a converted copy: the copy is complete, and which GGUF file it came from."""

    source: str
    source_size: int
    dtype: str


def converted_dir_name(gguf_path: Path, bundled_name: str | None) -> str:
    """Cache folder name of a GGUF file's safetensors copy: the bundled name, or the file's stem and identity."""
    if bundled_name:
        return f"{bundled_name}-bf16"
    stat = gguf_path.stat()
    identity = hashlib.sha256(f"{gguf_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:10]
    return f"{gguf_path.stem}-{identity}-bf16"


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a complete converted copy."""
    return (folder / CONVERSION_MARKER).is_file()


def convert_gguf(gguf_path: Path, destination: Path) -> Path:
    """De-quantize a GGUF chat model once into a bf16 safetensors folder (model, tokenizer, chat template).

    The copy is written to a temporary folder beside ``destination`` and renamed into place with its
    marker inside, so an interrupted conversion leaves no half copy that would be loaded later.

    Raises:
        DriftrecError: transformers cannot read this GGUF file (an architecture it does not support).
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
        model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.bfloat16)
    except (ValueError, OSError, KeyError) as error:
        raise DriftrecError(
            f"transformers cannot convert {gguf_path.name}: {error}; try --llm llamacpp:{gguf_path}") from error
    model.hf_quantizer = None  # save_pretrained refuses a model that still carries its GGUF quantizer
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        record = ConversionRecord(source=str(gguf_path), source_size=gguf_path.stat().st_size, dtype="bfloat16")
        (staging / CONVERSION_MARKER).write_text(record.model_dump_json())
        if destination.exists():
            shutil.rmtree(destination)  # an incomplete copy without its marker
        os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return destination


def _hub_offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _load_error(model_id: str, error: OSError) -> DriftrecError:
    """One line that says why a transformers model did not load and what to do."""
    if model_id.startswith((".", "/", "~")) or Path(model_id).expanduser().exists():
        return DriftrecError(f"no transformers model in {model_id}: pass a folder with config.json and weights, "
                             "a hub id, or a bundled model (qwen2.5-0.5b, smollm2-135m)")
    if _hub_offline():
        return DriftrecError(f"the chat model {model_id} is not in the Hugging Face cache and the hub is offline "
                             f"(HF_HUB_OFFLINE=1): download it once with internet (`hf download {model_id}`), "
                             "or choose another with --llm")
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return DriftrecError(f"could not load the chat model {model_id} from the Hugging Face hub: {first_line}")


class TransformersEngine:
    """A causal LM loaded with transformers (``device_map="auto"``, bf16), generating one call at a time.

    Args:
        source: Hub id or local folder of a chat model.
        model_name: Name shown in messages and metadata.
        converted: Whether this load made the safetensors copy it reads (first load of a GGUF model).

    Raises:
        DriftrecError: the model cannot be found or has no chat template.
    """

    backend = "transformers"

    def __init__(self, source: str, model_name: str, converted: bool = False) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.model_name = model_name
        self.converted = converted
        self.lock = threading.Lock()
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source)
            self._model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.bfloat16, device_map="auto")
        except OSError as error:
            raise _load_error(source, error) from error
        self._model.eval()
        if not self._tokenizer.chat_template:
            raise DriftrecError(f"{model_name} has no chat template; choose a chat (instruct) model with --llm")
        self.renderer = ChatPromptRenderer(self._render)

    @property
    def dtype(self) -> Any:
        """The weights' dtype (bf16)."""
        return self._model.dtype

    @property
    def device(self) -> Any:
        """Where the weights are (first device when accelerate spreads them)."""
        return self._model.device

    def _render(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> str:
        return self._tokenizer.apply_chat_template(messages, tools=tools, add_generation_prompt=True, tokenize=False)

    def stream_text(self, prompt: str, *, max_tokens: int, temperature: float, stop: Sequence[str],
                    counts: TokenCounts) -> Generator[str, None, None]:
        """Generate from ``prompt`` in a worker thread, yielding decoded text as it comes.

        Stops generating at the next token when the caller stops reading.
        """
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        # The rendered template already holds the special tokens (BOS included where the model wants it).
        inputs = self._tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self._model.device)
        prompt_length = int(inputs["input_ids"].shape[1])
        counts.prompt_tokens = prompt_length
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        stopped = threading.Event()

        class StopWhenAsked(StoppingCriteria):
            def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor,
                         **kwargs: Any) -> torch.BoolTensor:
                return torch.full((input_ids.shape[0],), stopped.is_set(), dtype=torch.bool, device=input_ids.device)

        options: dict[str, Any] = {"max_new_tokens": max_tokens, "streamer": streamer,
                                   "stopping_criteria": StoppingCriteriaList([StopWhenAsked()])}
        if temperature > 0:
            options.update(do_sample=True, temperature=temperature)
        else:  # greedy; clear the sampling settings a model's generation_config may carry
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if stop:
            options.update(stop_strings=list(stop), tokenizer=self._tokenizer)
        if self._model.generation_config.pad_token_id is None:
            options["pad_token_id"] = self._tokenizer.pad_token_id or self._tokenizer.eos_token_id
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                with torch.inference_mode():
                    outcome["sequences"] = self._model.generate(**inputs, **options)
            except Exception as error:  # handed to the reading thread, which raises it
                outcome["error"] = error
                streamer.end()  # unblock the reader

        worker = threading.Thread(target=run, name="transformers-generate", daemon=True)
        worker.start()
        try:
            yield from (piece for piece in streamer if piece)
        finally:
            stopped.set()
            worker.join()
        if "error" in outcome:
            raise DriftrecError(f"transformers failed while generating: {outcome['error']}") from outcome["error"]
        counts.completion_tokens = int(outcome["sequences"].shape[1]) - prompt_length
