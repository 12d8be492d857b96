"""Low-rank modules that stand in for nn.Linear / nn.Embedding in a factorized model (trainer/factorize.py builds
them from an SVD, trainer/model_init.load_factorized rebuilds them from a saved directory).

`LowRankEmbedding` holds two parameters — `lookup` (vocab × rank, one row per token) and `proj` (rank → hidden,
shared by all tokens). Its `weight` is a dense (vocab × hidden) product computed on every access, for code that
only reads `embed_tokens.weight`; it is not a parameter, so code that trains, hooks or decays embeddings must use
`embedding_row_params` / `embedding_params` (trainer/stages.py) instead.
"""

from torch import nn


class LowRankLinear(nn.Module):
    """y = up(down(x)): in → rank → out (bias, if any, on `up`)."""

    def __init__(self, in_features: int, out_features: int, rank: int, bias: bool = False) -> None:
        super().__init__()
        self.in_features, self.out_features, self.rank = in_features, out_features, rank
        self.down = nn.Linear(in_features, rank, bias=False)
        self.up = nn.Linear(rank, out_features, bias=bias)

    def forward(self, x):
        return self.up(self.down(x))


class LowRankEmbedding(nn.Module):
    """Token ids → (vocab × rank) lookup → (rank → hidden) projection."""

    def __init__(self, num_embeddings: int, embedding_dim: int, rank: int, padding_idx: int | None = None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim, self.rank = num_embeddings, embedding_dim, rank
        self.lookup = nn.Embedding(num_embeddings, rank, padding_idx=padding_idx)
        self.proj = nn.Linear(rank, embedding_dim, bias=False)

    @property
    def weight(self):
        """The equivalent dense (vocab × hidden) matrix (for code that reads `embed_tokens.weight`)."""
        return self.proj(self.lookup.weight)

    def forward(self, ids):
        return self.proj(self.lookup(ids))


def swap_modules(model, names: dict[str, tuple[str, int]], build) -> None:
    """Replace each named submodule by `build(kind, old_module, rank)`."""
    for name, (kind, rank) in names.items():
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        setattr(parent, child, build(kind, getattr(parent, child), rank))
