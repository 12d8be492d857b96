"""KoBEST (BoolQ, COPA, WiC, HellaSwag, SentiNeg) by log-likelihood of each choice, as lm-evaluation-harness does.

Prompts (lm-evaluation-harness `kobest_*`): BoolQ `"{paragraph} 질문: {question} 답변: "` → 아니오/예; COPA
`"{premise} 왜냐하면"` (원인) / `"{premise} 그래서"` (결과) → the two alternatives; WiC `"문장1: {s1} 문장2: {s2} 두
문장에서 {word}가 같은 뜻으로 쓰였나?"` → 아니오/예; HellaSwag `"문장: {context}"` → the four endings; SentiNeg
`"문장: {sentence} 긍부정:"` → 부정/긍정. Each choice is scored as the summed log-probability of `" " + choice` after
the context (the harness's target delimiter); the prediction is the argmax (acc), or the argmax of log-probability
per character of the choice (acc_norm). k-shot: k solved examples of another split (dev for test; for dev, the
other dev examples) drawn with a fixed seed, never the evaluated example, each `context + " " + answer`, joined and
followed by the query with blank lines. Metrics: accuracy, macro-F1 (as scikit-learn's `f1_score(average="macro")`)
and acc_norm (HellaSwag). Data: the KoBEST v1 TSV files, `DIR/<Task>/{dev,test}.tsv`.
"""

import csv
import random
from dataclasses import dataclass
from pathlib import Path

TASKS = {"boolq": "BoolQ", "copa": "COPA", "wic": "WiC", "hellaswag": "HellaSwag", "sentineg": "SentiNeg"}
YES_NO = ["아니오", "예"]


@dataclass
class Example:
    """One multiple-choice item: the prompt, its choices and the index of the right one."""

    id: str
    context: str
    choices: list[str]
    label: int


def _truthy(value: str) -> int:
    v = value.strip().lower()
    if v in ("true", "1"):
        return 1
    if v in ("false", "0"):
        return 0
    raise ValueError(f"not a boolean label: {value!r}")


def to_example(task: str, row: dict, i: int) -> Example:
    """A TSV row of `task` → Example with the harness's prompt."""
    rid = (row.get("ID") or str(i)).strip()
    if task == "boolq":
        return Example(rid, f"{row['Text']} 질문: {row['Question']} 답변: ", YES_NO, _truthy(row["Answer"]))
    if task == "copa":
        connector = {"원인": "왜냐하면", "결과": "그래서"}[row["question"].strip()]
        return Example(rid, f"{row['sentence']} {connector}", [row["1"], row["2"]], int(row["Answer"]) - 1)
    if task == "wic":
        text = f"문장1: {row['SENTENCE1']} 문장2: {row['SENTENCE2']} 두 문장에서 {row['Target']}가 같은 뜻으로 쓰였나?"
        return Example(rid, text, YES_NO, _truthy(row["ANSWER"]))
    if task == "hellaswag":
        choices = [row[f"choice{k}"] for k in range(1, 5)]
        return Example(str(i), f"문장: {row['context']}", choices, int(row["label"]))
    if task == "sentineg":
        return Example(rid, f"문장: {row['Text']} 긍부정:", ["부정", "긍정"], int(row["Label"]))
    raise ValueError(f"unknown KoBEST task {task!r}: use {', '.join(TASKS)}")


def load_task(root: str | Path, task: str, split: str) -> list[Example]:
    """Examples of `task` ('boolq', …) and `split` ('dev' or 'test') from `root/<Task>/<split>.tsv`."""
    path = Path(root) / TASKS[task] / f"{split}.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no KoBEST file (expected DIR/{TASKS[task]}/{split}.tsv)")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [to_example(task, row, i) for i, row in enumerate(rows)]


def fewshot_prefix(pool: list[Example], k: int, rng: random.Random, exclude: str | None) -> str:
    """k solved examples of `pool` (never the one with id `exclude`), then a blank line."""
    if k == 0:
        return ""
    candidates = [e for e in pool if e.id != exclude]
    shots = rng.sample(candidates, k)
    return "\n\n".join(f"{e.context} {e.choices[e.label]}" for e in shots) + "\n\n"


def macro_f1(golds: list[int], preds: list[int]) -> float:
    """Macro-averaged F1 over the labels that occur in golds or preds (scikit-learn's definition; a class with
    no true positives scores 0)."""
    labels = sorted(set(golds) | set(preds))
    scores = []
    for c in labels:
        tp = sum(g == c and p == c for g, p in zip(golds, preds, strict=True))
        fp = sum(g != c and p == c for g, p in zip(golds, preds, strict=True))
        fn = sum(g == c and p != c for g, p in zip(golds, preds, strict=True))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def encode_pair(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """Token ids of context and continuation as the harness makes them: trailing spaces of the context move to the
    continuation, the whole string is encoded once and split where the context's own encoding ends."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = tokenizer(context + continuation, add_special_tokens=False)["input_ids"]
    ctx = tokenizer(context, add_special_tokens=False)["input_ids"]
    return whole[: len(ctx)], whole[len(ctx) :]


def loglikelihoods(model, requests: list[tuple[list[int], list[int]]], batch_size: int, device, max_len: int):
    """Summed log-probability (nats) of each continuation given its context; inputs cut from the left to
    `max_len` tokens."""
    import torch

    out = []
    with torch.no_grad():
        for b in range(0, len(requests), batch_size):
            chunk = requests[b : b + batch_size]
            seqs = [(ctx + cont)[-(max_len + 1) :][:-1] for ctx, cont in chunk]
            width = max(len(s) for s in seqs)
            ids = torch.zeros((len(seqs), width), dtype=torch.long)
            mask = torch.zeros((len(seqs), width), dtype=torch.long)
            for i, s in enumerate(seqs):
                ids[i, : len(s)] = torch.as_tensor(s)
                mask[i, : len(s)] = 1
            logp = torch.log_softmax(model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits.float(), -1)
            for i, (_, cont) in enumerate(chunk):
                n = len(seqs[i])
                pos = torch.arange(n - len(cont), n, device=logp.device)
                target = torch.as_tensor(cont, device=logp.device)
                out.append(float(logp[i, pos, target].sum()))
    return out


def evaluate_task(model, tokenizer, examples: list[Example], shots_pool: list[Example], k: int = 0,
                  seed: int = 1234, batch_size: int = 8, accelerator=None, same_split: bool = False) -> dict:  # fmt: skip
    """Accuracy, macro-F1 (and acc_norm) of `model` on `examples`; `same_split`: the shots come from the evaluated
    split (each example's own id is then excluded). With an accelerator the examples are split over the ranks and
    the predictions gathered."""
    rng = random.Random(seed)
    prefixes = [fewshot_prefix(shots_pool, k, rng, e.id if same_split else None) for e in examples]
    rank, world = (accelerator.process_index, accelerator.num_processes) if accelerator else (0, 1)
    device = accelerator.device if accelerator else next(model.parameters()).device
    config = model.module.config if hasattr(model, "module") else model.config  # DDP-wrapped or plain
    max_len = int(getattr(config, "max_position_embeddings", 2048))
    mine = list(range(rank, len(examples), world))
    requests, owners = [], []
    for i in mine:
        e = examples[i]
        for c, choice in enumerate(e.choices):
            requests.append(encode_pair(tokenizer, prefixes[i] + e.context, " " + choice))
            owners.append((i, c))
    model.eval()
    scores = loglikelihoods(model, requests, batch_size, device, max_len)
    by_example: dict[int, list[float]] = {}
    for (i, _), s in zip(owners, scores, strict=True):
        by_example.setdefault(i, []).append(s)
    rows = [(i, max(range(len(s)), key=s.__getitem__),
             max(range(len(s)), key=lambda c, s=s, i=i: s[c] / len(examples[i].choices[c])))
            for i, s in by_example.items()]  # fmt: skip
    if accelerator and world > 1:
        rows = accelerator.gather_for_metrics(rows, use_gather_object=True)
    rows = sorted(set(map(tuple, rows)))
    golds = [examples[i].label for i, _, _ in rows]
    preds = [p for _, p, _ in rows]
    result = {"n": len(rows), "acc": sum(g == p for g, p in zip(golds, preds, strict=True)) / max(1, len(rows)),
              "macro_f1": macro_f1(golds, preds)}  # fmt: skip
    if len(examples[0].choices) > 2:
        result["acc_norm"] = sum(examples[i].label == p for i, _, p in rows) / max(1, len(rows))
    return result


def run_kobest(model, tokenizer, data: str | Path, tasks: list[str], split: str = "test", k: int = 0,
               limit: int | None = None, seed: int = 1234, batch_size: int = 8, accelerator=None) -> dict:  # fmt: skip
    """{task: metrics} over the first `limit` examples of each task's `split`."""
    results = {}
    for task in tasks:
        examples = load_task(data, task, split)
        pool = examples if split == "dev" else load_task(data, task, "dev")
        results[task] = evaluate_task(model, tokenizer, examples[:limit], pool, k, seed, batch_size, accelerator,
                                      same_split=split == "dev")  # fmt: skip
    return results


def table(results: dict[str, dict[str, dict]]) -> str:
    """One row per (model, task): n, acc, macro-F1, acc_norm."""
    lines = [f"{'model':<28}{'task':<11}{'n':>5}{'acc':>8}{'macro_f1':>10}{'acc_norm':>10}"]
    for model, tasks in results.items():
        for task, m in tasks.items():
            norm = f"{m['acc_norm']:>10.3f}" if "acc_norm" in m else f"{'-':>10}"
            lines.append(f"{model:<28}{task:<11}{m['n']:>5}{m['acc']:>8.3f}{m['macro_f1']:>10.3f}{norm}")
    return "\n".join(lines)
