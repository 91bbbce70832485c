#!/usr/bin/env python3
"""Writes the Hugging Face parity fixtures: small random checkpoints of each model family the kit loads, tokenizers of
each kind, and what transformers / tokenizers / PEFT compute on them (the reference the CPU tests compare with).

Runs on CPU in fp32 (no GPU needed, but the device machine is where transformers lives).
Usage: python3 scripts/gpu/parity-fixtures.py OUT_DIR [KIT_ADAPTER_DIR]
"""
import datetime, json, os, platform, shutil, sys, traceback

import torch
from safetensors.torch import save_file
import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

OUT = sys.argv[1]
KIT_ADAPTER = sys.argv[2] if len(sys.argv) > 2 else None
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
errors = {}

LLAMA3_REGEX = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_REGEX = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"


def corpus():
    """Training text without the internet: the Python standard library's sources plus multilingual lines."""
    import json as j, os as o, textwrap
    lines = []
    for mod in (j, o, textwrap, shutil, datetime):
        with open(mod.__file__, encoding="utf-8") as f:
            lines.extend(f.read().splitlines())
    extra = ["Grüße aus Köln, naïve café déjà vu", "日本語のテキストと中文文本", "Привет, мир! Как дела?",
             "ls -la /tmp | grep -v '^d' && echo done", "for i in range(10): print(i ** 2)",
             "I'm sure we'll see they've done it, don't you think?", "SELECT name FROM users WHERE id = 42;"]
    return lines + extra * 20


def save_tokenizer(tok, folder, config):
    os.makedirs(folder, exist_ok=True)
    tok.save(os.path.join(folder, "tokenizer.json"))
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)


def byte_level_tokenizer(kind):
    tok = Tokenizer(models.BPE(ignore_merges=(kind == "bytelevel-llama3")))
    if kind == "bytelevel-gpt2":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
        specials = ["<|endoftext|>"]
    else:
        regex = LLAMA3_REGEX if kind == "bytelevel-llama3" else QWEN2_REGEX
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
        specials = (["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"]
                    if kind == "bytelevel-llama3" else ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    if kind == "bytelevel-qwen2":
        tok.normalizer = normalizers.NFC()
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus(), trainer)
    if kind == "bytelevel-llama3":
        tok.post_processor = processors.TemplateProcessing(
            single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B",
            special_tokens=[("<|begin_of_text|>", tok.token_to_id("<|begin_of_text|>"))])
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>",
               "clean_up_tokenization_spaces": False, "model_max_length": 128}
    elif kind == "bytelevel-qwen2":
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
               "add_bos_token": False, "add_eos_token": False, "clean_up_tokenization_spaces": False, "model_max_length": 128}
    else:
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
               "clean_up_tokenization_spaces": False, "model_max_length": 128}
    return tok, cfg


def sentencepiece_tokenizer(kind):
    """SentencePiece-style BPE as Llama-2 / Mistral ship it in tokenizer.json: <unk> <s> </s>, then the 256 byte tokens, then merges."""
    trained = Tokenizer(models.BPE(unk_token="<unk>"))
    trained.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    trained.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True)
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"], limit_alphabet=90, show_progress=False)
    trained.train_from_iterator(corpus(), trainer)
    model = json.loads(trained.to_str())["model"]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for token, _ in sorted(model["vocab"].items(), key=lambda kv: kv[1]):
        if token not in vocab:
            vocab[token] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    if kind == "sentencepiece-llama2":
        tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
        tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
        tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 1)])
        add_eos = False
    else:
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
        tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
        tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", pair="<s> $A </s> <s> $B </s>", special_tokens=[("<s>", 1), ("</s>", 2)])
        add_eos = True
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"]])
    cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
           "add_bos_token": True, "add_eos_token": add_eos, "clean_up_tokenization_spaces": False, "legacy": False, "model_max_length": 128}
    return tok, cfg


TEXTS = [
    "Hello world", "", " ", "   leading and trailing   ", "a\tb\t\tc", "line one\nline two\n\n\nline five\r\n",
    "def f(x):\n    return x ** 2  # square\n", "ls -la /tmp | grep -v '^d' && echo \"done\"",
    "I'm sure we'll see they've done it, DON'T YOU?", "Numbers: 1234567 3.14159 -42 1e-5",
    "Grüße aus Köln — naïve café", "日本語のテキストと中文文本", "Привет, мир!", "مرحبا بالعالم",
    "emoji: 🤖🚀 family: 👨‍👩‍👧 flag: 🇩🇪", "combining: e\u0301 vs \u00e9", "tabs\t\tand    spaces   \n  ",
    "<s>[INST] hi [/INST]</s>", "<|im_start|>user\nhi<|im_end|>", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhey<|eot_id|>",
    "<|endoftext|>text<|endoftext|>", "▁already▁metaspace", "\u00a0non-breaking\u2003em space", "x" * 40,
]


def write_tokenizers():
    kinds = {"bytelevel-llama3": byte_level_tokenizer, "bytelevel-qwen2": byte_level_tokenizer, "bytelevel-gpt2": byte_level_tokenizer,
             "sentencepiece-llama2": sentencepiece_tokenizer, "sentencepiece-metaspace": sentencepiece_tokenizer}
    encodings = {}
    for kind, make in kinds.items():
        try:
            tok, cfg = make(kind)
            folder = os.path.join(OUT, "tokenizers", kind)
            save_tokenizer(tok, folder, cfg)
            reloaded = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
            rows = []
            try:
                auto = AutoTokenizer.from_pretrained(folder)
            except Exception as e:
                auto, errors[f"tokenizer/{kind}/AutoTokenizer"] = None, repr(e)
            for text in TEXTS:
                plain = reloaded.encode(text, add_special_tokens=False).ids
                row = {"text": text, "ids": plain, "ids_with_special_tokens": reloaded.encode(text, add_special_tokens=True).ids,
                       "decoded": reloaded.decode(plain, skip_special_tokens=False)}
                if auto is not None:
                    row["transformers_ids"] = auto(text)["input_ids"]
                rows.append(row)
            encodings[kind] = {"vocab_size": reloaded.get_vocab_size(with_added_tokens=True), "rows": rows,
                               "transformers_class": type(auto).__name__ if auto is not None else None}
        except Exception:
            errors[f"tokenizer/{kind}"] = traceback.format_exc()
    with open(os.path.join(OUT, "tokenizers", "encodings.json"), "w", encoding="utf-8") as f:
        json.dump(encodings, f, indent=1, ensure_ascii=False)
    return encodings


# Each family: model_type, tokenizer kind, config fields, and the config.json layout to write (4: top-level
# rope_theta/rope_scaling as on the Hub; 5: rope_parameters as transformers 5 writes it).
SMALL = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             max_position_embeddings=128, rms_norm_eps=1e-5, tie_word_embeddings=False)
FAMILIES = {
    "llama": ("llama", "sentencepiece-llama2", dict(rope_theta=10000.0), 4, None),
    "llama-theta500k": ("llama", "bytelevel-llama3", dict(rope_theta=500000.0), 5, None),
    "llama3-rope": ("llama", "bytelevel-llama3", dict(rope_theta=500000.0, rope_scaling=dict(
        rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0, original_max_position_embeddings=16)), 4, None),
    "llama-linear-bias": ("llama", "bytelevel-gpt2", dict(rope_theta=10000.0, rope_scaling=dict(rope_type="linear", factor=4.0),
                                                           attention_bias=True, mlp_bias=True, head_dim=32), 5, None),
    "mistral": ("mistral", "sentencepiece-metaspace", dict(rope_theta=1000000.0, sliding_window=8), 5, None),
    "qwen2": ("qwen2", "bytelevel-qwen2", dict(rope_theta=1000000.0, use_sliding_window=False, sliding_window=4, max_window_layers=1), 4, 2),
    "qwen3": ("qwen3", "bytelevel-qwen2", dict(rope_theta=1000000.0, head_dim=32, tie_word_embeddings=True,
                                                 use_sliding_window=False, sliding_window=None), 5, None),
    "mixtral": ("mixtral", "sentencepiece-llama2", dict(rope_theta=1000000.0, num_local_experts=4, num_experts_per_tok=2,
                                                          intermediate_size=96, sliding_window=None), 5, None),
    "phi3": ("phi3", "sentencepiece-llama2", dict(rope_theta=10000.0, sliding_window=None, pad_token_id=0), 5, None),
}


def bf16_random(name, shape, gen):
    """Random values exactly representable in bf16: norms near 1, biases small, matrices ~ 1/sqrt(fan_in)."""
    if name.endswith("norm.weight"):
        t = 1 + 0.1 * torch.randn(shape, generator=gen)
    elif name.endswith(".bias"):
        t = 0.1 * torch.randn(shape, generator=gen)
    elif name.endswith("embed_tokens.weight"):
        t = torch.randn(shape, generator=gen)
    else:
        t = torch.randn(shape, generator=gen) / (shape[-1] ** 0.5)
    return t.to(torch.bfloat16)


def hub_tensors(model, cfg, model_type, gen):
    """The checkpoint's tensors under the names and layout published checkpoints use (Mixtral: one module per expert)."""
    sd = {k: v for k, v in model.state_dict().items()}
    if cfg.tie_word_embeddings:
        sd.pop("lm_head.weight", None)
    names = {}
    for k, v in sd.items():
        if model_type == "mixtral" and (".mlp." in k or "block_sparse_moe" in k):
            continue
        names[k] = tuple(v.shape)
    if model_type == "mixtral":
        h, i, e = cfg.hidden_size, cfg.intermediate_size, cfg.num_local_experts
        for layer in range(cfg.num_hidden_layers):
            p = f"model.layers.{layer}.block_sparse_moe"
            names[f"{p}.gate.weight"] = (e, h)
            for x in range(e):
                names[f"{p}.experts.{x}.w1.weight"] = (i, h)
                names[f"{p}.experts.{x}.w2.weight"] = (h, i)
                names[f"{p}.experts.{x}.w3.weight"] = (i, h)
    return {k: bf16_random(k, s, gen).contiguous() for k, s in sorted(names.items())}


def write_config(folder, layout):
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        c = json.load(f)
    rp = c.pop("rope_parameters", None)
    theta = c.pop("rope_theta", None)
    scaling = c.pop("rope_scaling", None)
    if rp is None:
        rp = dict(scaling or {"rope_type": "default"})
        rp["rope_theta"] = theta
    if layout == 4:
        c["rope_theta"] = rp["rope_theta"]
        rest = {k: v for k, v in rp.items() if k != "rope_theta"}
        c["rope_scaling"] = None if rest.get("rope_type", "default") == "default" and len(rest) <= 1 else rest
    else:
        c["rope_parameters"] = rp
    c["dtype" if "dtype" in c else "torch_dtype"] = "bfloat16"  # how the weights are stored
    with open(path, "w") as f:
        json.dump(c, f, indent=2, sort_keys=True)
    return c


def save_weights(folder, tensors, shards):
    if not shards:
        save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        return
    keys = list(tensors)
    per = (len(keys) + shards - 1) // shards
    weight_map = {}
    for s in range(shards):
        name = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = {k: tensors[k] for k in keys[s * per:(s + 1) * per]}
        save_file(part, os.path.join(folder, name), metadata={"format": "pt"})
        weight_map.update({k: name for k in part})
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def load_reference(folder):
    model, info = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    bad = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if bad:
        raise RuntimeError(f"{folder}: transformers did not load every tensor: {bad}")
    model.eval()
    model.generation_config.eos_token_id = None
    model.generation_config.pad_token_id = 0
    return model


def write_family(name, spec, encodings):
    model_type, tok_kind, fields, layout, shards = spec
    folder = os.path.join(OUT, "models", name)
    os.makedirs(folder, exist_ok=True)
    vocab = encodings[tok_kind]["vocab_size"]
    kw = dict(SMALL, vocab_size=vocab, bos_token_id=1, eos_token_id=2, **fields)
    if hasattr(transformers, "__version__") and int(transformers.__version__.split(".")[0]) >= 5:
        theta = kw.pop("rope_theta")
        scaling = kw.pop("rope_scaling", None) or {"rope_type": "default"}
        kw["rope_parameters"] = dict(scaling, rope_theta=theta)
    cfg = AutoConfig.for_model(model_type, **kw)
    model = AutoModelForCausalLM.from_config(cfg)
    gen = torch.Generator().manual_seed(sum(map(ord, name)))
    tensors = hub_tensors(model, cfg, model_type, gen)
    cfg.save_pretrained(folder)
    config = write_config(folder, layout)
    save_weights(folder, tensors, shards)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(OUT, "tokenizers", tok_kind, f), os.path.join(folder, f))

    ref = load_reference(folder)
    gen_ids = torch.Generator().manual_seed(7)
    inputs = torch.randint(3, vocab, (2, 20), generator=gen_ids)
    with torch.no_grad():
        logits = ref(inputs).logits.float().contiguous()
    prompts = [torch.randint(3, vocab, (n,), generator=gen_ids).tolist() for n in (1, 5, 11)]
    greedy = []
    for p in prompts:
        with torch.no_grad():
            out = ref.generate(torch.tensor([p]), max_new_tokens=32, do_sample=False, min_new_tokens=32)
        greedy.append(out[0, len(p):].tolist())
    refdir = os.path.join(OUT, "references")
    os.makedirs(refdir, exist_ok=True)
    save_file({"input_ids": inputs.contiguous(), "logits": logits}, os.path.join(refdir, f"{name}.safetensors"))
    effective = getattr(ref.config, "rope_parameters", None) or {"rope_theta": getattr(ref.config, "rope_theta", None),
                                                                   "rope_scaling": getattr(ref.config, "rope_scaling", None)}
    with open(os.path.join(refdir, f"{name}.json"), "w") as f:
        json.dump({"family": name, "model_type": model_type, "tokenizer": tok_kind, "config_layout": layout,
                   "effective_rope": effective, "prompts": prompts, "greedy": greedy,
                   "layer_types": getattr(ref.config, "layer_types", None),
                   "sliding_window": getattr(ref.config, "sliding_window", None),
                   "tensor_names": sorted(tensors)[:12]}, f, indent=1)
    return ref, inputs


def write_peft(base_llama, base_phi3, inputs_llama, inputs_phi3):
    """PEFT -> kit: adapters PEFT makes (non-zero B); kit -> PEFT: the kit's adapter loaded by PEFT. Both with logits."""
    from peft import LoraConfig, PeftModel, get_peft_model
    refdir = os.path.join(OUT, "references")
    peftdir = os.path.join(OUT, "peft")
    for name, base, targets, inputs in (("llama", base_llama, ["q_proj", "v_proj", "down_proj"], inputs_llama),
                                        ("phi3", base_phi3, ["qkv_proj", "gate_up_proj", "o_proj"], inputs_phi3)):
        if base is None:
            continue
        try:
            import copy
            m = get_peft_model(copy.deepcopy(base), LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=targets))
            gen = torch.Generator().manual_seed(11)
            with torch.no_grad():
                for pn, p in m.named_parameters():
                    if "lora_" in pn:
                        p.copy_((torch.randn(p.shape, generator=gen) * 0.1).to(torch.bfloat16).float())
            m.eval()
            folder = os.path.join(peftdir, f"{name}-peft-made")
            m.save_pretrained(folder)
            with torch.no_grad():
                logits = m(inputs).logits.float().contiguous()
            save_file({"input_ids": inputs.contiguous(), "logits": logits}, os.path.join(refdir, f"peft-{name}-peft-made.safetensors"))
        except Exception:
            errors[f"peft/{name}-peft-made"] = traceback.format_exc()
    if KIT_ADAPTER and base_llama is not None:
        try:
            import copy
            m = PeftModel.from_pretrained(copy.deepcopy(base_llama), KIT_ADAPTER)
            m.eval()
            with torch.no_grad():
                logits = m(inputs_llama).logits.float().contiguous()
            save_file({"input_ids": inputs_llama.contiguous(), "logits": logits}, os.path.join(refdir, "peft-llama-kit-made.safetensors"))
            shutil.copytree(KIT_ADAPTER, os.path.join(peftdir, "llama-kit-made"), dirs_exist_ok=True)
        except Exception:
            errors["peft/llama-kit-made"] = traceback.format_exc()


def main():
    encodings = write_tokenizers()
    bases = {}
    for name, spec in FAMILIES.items():
        try:
            bases[name] = write_family(name, spec, encodings)
            print("ok", name, flush=True)
        except Exception:
            errors[f"model/{name}"] = traceback.format_exc()
            print("FAILED", name, errors[f"model/{name}"], flush=True)
    try:
        import peft
        peft_version = peft.__version__
        write_peft(bases.get("llama", (None, None))[0], bases.get("phi3", (None, None))[0],
                   bases.get("llama", (None, None))[1], bases.get("phi3", (None, None))[1])
    except Exception:
        peft_version = None
        errors["peft"] = traceback.format_exc()
    manifest = {"written_by": "scripts/gpu/parity-fixtures.py", "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "machine": platform.node(), "python": platform.python_version(), "torch": torch.__version__,
                "transformers": transformers.__version__, "tokenizers": tokenizers.__version__, "peft": peft_version,
                "device": "cpu (fp32, eager attention)", "families": list(FAMILIES), "errors": errors}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    for k, v in errors.items():
        print("ERROR", k, v, file=sys.stderr)


if __name__ == "__main__":
    main()
