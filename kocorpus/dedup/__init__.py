"""Near-duplicate removal: Korean-aware MinHash signatures for datatrove's MinHash dedup stages."""

from kocorpus.dedup.minhash_signature import KoreanMinhashSignature, MinhashDedupConfig

__all__ = ["KoreanMinhashSignature", "MinhashDedupConfig"]
