"""GPU-speed switches (trainer/speed.py) on CPU: per-document attention of packed rows from position ids (SDPA, and
the flattened one-row batch FlashAttention-2 gets), the chunked linear cross-entropy against the plain loss,
activation checkpointing; Liger and FlashAttention-2 themselves on a GPU only."""

import numpy as np
import pytest
import torch

from trainer.data import collate
from trainer.model_init import random_init
from trainer.speed import (
    chunked_linear_cross_entropy,
    flash_attn_available,
    flatten_packed,
    liger_available,
    resolve_attn,
    resolve_cross_entropy,
    use_linear_cross_entropy,
)

TINY = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": 128}  # fmt: skip


def packed_rows():
    """Two rows of 12 tokens: documents of 5 + 7 and 3 + 6 (+ 3 padding) tokens."""
    g = torch.Generator().manual_seed(0)
    a, b = torch.randint(1, 128, (12,), generator=g).numpy(), torch.randint(1, 128, (12,), generator=g).numpy()
    b[9:] = 0
    return [(a, np.array([0, 5]), 12), (b, np.array([0, 3]), 9)]


def test_packed_documents_attend_only_within_themselves_on_cpu():
    """collate's restarting position ids make SDPA attend per document (= each document run alone); the same
    batch flattened to one row (FlashAttention-2's varlen input) gives the same loss and the cu_seqlens of every
    row and document start."""
    from transformers.modeling_flash_attention_utils import prepare_fa_kwargs_from_position_ids

    model = random_init(TINY).eval()
    rows = packed_rows()
    batch = collate(rows, 0, document_masking=True)
    assert batch["position_ids"][0].tolist() == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6]
    with torch.no_grad():
        # use_cache=False as in training: with a KV cache transformers does not look for packed documents
        packed = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
        alone = model(input_ids=batch["input_ids"][:1, 5:]).logits
        crossing = model(input_ids=batch["input_ids"], use_cache=False).logits  # no position ids: one sequence
        assert torch.allclose(packed[0, 5:], alone[0], atol=1e-5)
        assert not torch.allclose(crossing[0, 5:], alone[0], atol=1e-3)
        flat = flatten_packed(batch)
        assert flat["input_ids"].shape == (1, 24)
        (cu_q, _), (max_q, _) = prepare_fa_kwargs_from_position_ids(flat["position_ids"])
        assert cu_q.tolist() == [0, 5, 12, 15, 24] and int(max_q) == 9
        loss = model(**batch, use_cache=False).loss
        flat_loss = model(
            **flat, use_cache=False
        ).loss  # SDPA builds the same block-diagonal mask from the flat position ids
        assert flat_loss.item() == pytest.approx(loss.item(), rel=1e-5)


def test_chunked_linear_cross_entropy_matches_the_plain_loss_and_gradients():
    torch.manual_seed(0)
    base = random_init(TINY)
    chunked = random_init(TINY)
    use_linear_cross_entropy(chunked, "chunked", chunk=5)  # 2 × 11 positions → 5 chunks
    batch = collate(packed_rows(), 0)
    plain_loss = base(**batch, use_cache=False).loss
    out = chunked(**batch, use_cache=False)
    assert out.logits is None and out.loss.item() == pytest.approx(plain_loss.item(), rel=1e-5)
    plain_loss.backward()
    out.loss.backward()
    for (name, p), q in zip(base.named_parameters(), chunked.parameters(), strict=True):
        assert torch.allclose(p.grad, q.grad, rtol=1e-4, atol=1e-6), name
    assert chunked(input_ids=batch["input_ids"]).logits.shape == (2, 12, 128)  # without labels: the plain forward
    h, w = torch.randn(7, 4), torch.randn(10, 4)
    y = torch.tensor([1, -100, 3, 9, -100, 0, 2])
    ref = torch.nn.functional.cross_entropy(h @ w.T, y, ignore_index=-100)
    assert chunked_linear_cross_entropy(h, w, y, chunk=3).item() == pytest.approx(ref.item(), rel=1e-6)


def test_gradient_checkpointing_recomputes_layers_with_the_same_gradients():
    from types import SimpleNamespace

    from trainer.speed import prepare_model

    batch = collate(packed_rows(), 0, document_masking=True)
    grads, calls = [], []
    for on in (False, True):
        model = random_init(TINY)
        cfg = SimpleNamespace(attn_implementation="auto", gradient_checkpointing=on, cross_entropy="plain",
                              ce_chunk_tokens=8, torch_compile=False)  # fmt: skip
        assert prepare_model(model, cfg, "cpu", log=lambda _: None)["attn_implementation"] == "sdpa"
        model.train()
        n = []
        mlp = model.model.layers[0].mlp
        mlp.forward = lambda x, n=n, f=mlp.forward: n.append(1) or f(x)  # (hooks do not fire in a recompute)
        model(**batch, use_cache=False).loss.backward()
        calls.append(len(n))
        grads.append([p.grad.clone() for p in model.parameters()])
    assert calls == [1, 2]  # the checkpointed layer runs again in backward
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(*grads, strict=True))


def test_switches_resolve_per_device():
    from kocorpus.config import ConfigError

    assert resolve_attn("auto", "cpu") == "sdpa" and resolve_attn("eager", "cpu") == "eager"
    with pytest.raises(ConfigError, match="flash_attention_2 needs CUDA"):
        resolve_attn("flash_attention_2", "cpu")
    assert resolve_cross_entropy("fused", "cpu") == "chunked" and resolve_cross_entropy("plain", "cuda") == "plain"


def test_lossless_switches_refuse_distillation(tmp_path):
    from kocorpus.config import ConfigError
    from trainer.stages import load_config

    cfg = tmp_path / "c.yaml"
    cfg.write_text("model: {random_init: {}}\ntokenizer: t\nshards: s\ncross_entropy: chunked\n"
                   "stages:\n  - {name: kd, steps: 1, distill: {teacher: t}}\n")  # fmt: skip
    with pytest.raises(ConfigError, match="distillation stages need plain"):
        load_config(str(cfg))


@pytest.mark.parametrize(
    "extra, named",
    [
        ("torch_compile: true\n", "torch_compile"),
        ("gradient_checkpointing: true\n", "gradient_checkpointing"),
        ("cross_entropy: chunked\n", "cross_entropy"),
        ("", "stages[0].new_rows: batch"),
    ],
)
def test_fsdp_refuses_what_its_stage_rebuild_would_drop(tmp_path, extra, named):
    """trainer/fsdp.py rebuilds the model from its config at stage boundaries and resumes: refused at load, not
    silently lost mid-run."""
    from kocorpus.config import ConfigError
    from trainer.stages import load_config

    gate = "new_rows: batch, " if not extra else ""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"model: {{random_init: {{}}}}\ntokenizer: t\nshards: s\nfsdp: true\n{extra}"
                   f"stages:\n  - {{name: a, steps: 1, trainable: [new_embeddings], {gate}lr: 1.0e-3}}\n")  # fmt: skip
    with pytest.raises(ConfigError, match=f"fsdp: not supported together with {named}".replace("[", r"\[")):
        load_config(str(cfg))
    cfg.write_text(cfg.read_text().replace("fsdp: true", "fsdp: false"))
    load_config(str(cfg))


@pytest.mark.gpu
@pytest.mark.skipif(not (torch.cuda.is_available() and liger_available()),
                    reason="Liger's fused linear cross-entropy is a Triton kernel: needs CUDA and liger-kernel")  # fmt: skip
def test_liger_fused_linear_cross_entropy_matches_chunked():
    torch.manual_seed(0)
    batch = {k: v.cuda() for k, v in collate(packed_rows(), 0).items()}
    losses = []
    for impl in ("chunked", "liger"):
        model = random_init(TINY).cuda()
        use_linear_cross_entropy(model, impl)
        losses.append(model(**batch).loss.item())
    assert losses[1] == pytest.approx(losses[0], rel=1e-3)


@pytest.mark.gpu
@pytest.mark.skipif(not (torch.cuda.is_available() and flash_attn_available()),
                    reason="FlashAttention-2 needs CUDA and flash-attn")  # fmt: skip
def test_flash_attention_2_attends_per_document_in_a_flattened_batch():
    model = random_init(TINY | {"torch_dtype": "bfloat16"}).cuda().to(torch.bfloat16).eval()
    model.set_attn_implementation("flash_attention_2")
    batch = {k: v.cuda() for k, v in collate(packed_rows(), 0, document_masking=True).items()}
    flat = flatten_packed(batch)
    with torch.no_grad():
        packed = model(input_ids=flat["input_ids"], position_ids=flat["position_ids"], use_cache=False).logits
        alone = model(input_ids=batch["input_ids"][:1, 5:]).logits
    assert torch.allclose(packed[0, 5:12].float(), alone[0].float(), atol=2e-2)
