"""Logit distillation (Kanana, the lightweight Korean LM): a frozen teacher's next-token distribution guides the
student. loss = α·T²·KL(p_teacher,T ‖ p_student,T) + (1−α)·CE(student), averaged over the tokens that have a label;
α = 1 is Kanana's KL-only setting. The teacher runs in the same process without gradients and must share the
student's tokenizer (checked by tokenizer hash and vocabulary size).
"""

from pathlib import Path


def load_teacher(spec: str, student_tokenizer_hash: str, student_vocab: int, device, dtype=None):
    """The frozen teacher (eval mode, no gradients) on `device`; refuses another tokenizer."""
    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.shards import tokenizer_hash
    from trainer.model_init import load_base

    teacher = load_base(spec, dtype=dtype)
    rows = teacher.get_input_embeddings().weight.shape[0]
    try:
        t_hash = tokenizer_hash(load_hf(spec).backend_tokenizer)
    except (ValueError, OSError) as e:
        raise ValueError(f"teacher {spec}: no tokenizer to check against the student's ({e})") from None
    if t_hash != student_tokenizer_hash or rows != student_vocab:
        raise ValueError(
            f"teacher {Path(spec).name}: tokenizer {t_hash} / {rows} embedding rows, student {student_tokenizer_hash} "
            f"/ {student_vocab}; distillation needs the same tokenizer"
        )
    teacher.requires_grad_(False)
    return teacher.eval().to(device)


def distill_loss(student_logits, teacher_logits, labels, alpha: float, temperature: float, ce=None):
    """α·T²·KL(teacher ‖ student) + (1−α)·CE over positions whose next token has a label (HF label shift)."""
    import torch.nn.functional as F

    mask = labels[:, 1:] != -100
    s = student_logits[:, :-1][mask].float() / temperature
    t = teacher_logits[:, :-1][mask].float() / temperature
    kl = F.kl_div(F.log_softmax(s, -1), F.log_softmax(t, -1), log_target=True, reduction="batchmean")
    loss = alpha * temperature**2 * kl
    if alpha < 1:
        loss = loss + (1 - alpha) * ce
    return loss
