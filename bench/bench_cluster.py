"""Needs clustering: quality (adjusted Rand index) and speed. Not part of the test suite.

    .venv/bin/python bench/bench_cluster.py            # everything, ~1–2 minutes on 2 cores
    .venv/bin/python bench/bench_cluster.py --quick    # fewer repetitions

Quality is measured on tests/data/needs/labelled.tsv (written after the taxonomy was frozen;
see docs/benchmarks.md) and, for comparison, on the development set used for tuning. Speed is
measured on 10,000 answers generated from the labelled set (``make_answers``), in process and
through the `ganxun cluster-needs` command (cold start included).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from ganxun.needs.clustering import Params, cluster_needs  # noqa: E402
from ganxun.needs.taxonomy import load_taxonomy  # noqa: E402

DATA = ROOT / "tests" / "data" / "needs"

# How people wrap the same need: the generator adds these around a statement of the labelled
# set, so the 10,000 answers are mostly distinct strings (deduplication would flatter speed).
PREFIXES = [
    "",
    "",
    "希望",
    "建议",
    "希望多讲讲",
    "想学习",
    "急需",
    "建议增加",
    "最需要的是",
    "个人觉得",
]
SUFFIXES = [
    "",
    "",
    "方面的培训",
    "的内容",
    "，谢谢",
    "。",
    "的实操办法",
    "，最好有案例",
    "！",
    "方面的课程",
]


def load(name: str) -> tuple[list[str], list[str]]:
    rows = [line.split("\t", 1) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return [text for _label, text in rows if text], [label for label, text in rows if text]


def predictions(result, n: int) -> list[int]:
    """Cluster number per line; skipped lines are singletons."""
    predicted = [-1 - i for i in range(n)]
    for index, cluster in enumerate(result.clusters):
        for member in cluster.members:
            predicted[member] = index
    return predicted


def ari(texts, labels, taxonomy, params=None, k=None) -> tuple[float, int]:
    result = cluster_needs(texts, taxonomy, k=k, params=params)
    return adjusted_rand_score(labels, predictions(result, len(texts))), len(result.clusters)


def baseline(texts, labels, seeds=5) -> float:
    """Plain character TF-IDF + k-means, told the true number of topics."""
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(
        texts
    )
    k = len(set(labels))
    scores = [
        adjusted_rand_score(labels, KMeans(k, n_init=10, random_state=s).fit_predict(vectors))
        for s in range(seeds)
    ]
    return statistics.mean(scores)


def by_size(texts, labels, taxonomy, sizes, repeats) -> list[tuple[int, float, float, float]]:
    rows = []
    for size in sizes:
        scores = []
        for seed in range(repeats if size < len(texts) else 1):
            picked = random.Random(seed).sample(range(len(texts)), size)
            scores.append(ari([texts[i] for i in picked], [labels[i] for i in picked], taxonomy)[0])
        rows.append((size, statistics.mean(scores), min(scores), max(scores)))
    return rows


def make_answers(texts, labels, n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    out_texts, out_labels = [], []
    for _ in range(n):
        i = rng.randrange(len(texts))
        out_texts.append(f"{rng.choice(PREFIXES)}{texts[i]}{rng.choice(SUFFIXES)}")
        out_labels.append(labels[i])
    return out_texts, out_labels


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def cli_seconds(texts: list[str]) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
        fh.write("\n".join(texts))
    env = {**os.environ, "GANXUN_DATA_DIR": tempfile.mkdtemp()}  # a fresh, unmigrated database
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ganxun"), "cluster-needs", fh.name, "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 3 if args.quick else 10
    taxonomy = load_taxonomy()
    texts, labels = load("labelled.tsv")
    dev_texts, dev_labels = load("dev.tsv")
    terms = {t for topic in taxonomy.topics for t in (*topic.keywords, *topic.synonyms)}

    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}\n")
    print("## Quality (adjusted Rand index, number of clusters not given)\n")
    print("| set | statements | topics | ARI | clusters found | TF-IDF + k-means (told k) |")
    print("|---|---|---|---|---|---|")
    hard = [i for i, t in enumerate(texts) if len(t) > 4 and t not in terms]
    for name, (t, lab) in {
        "test (labelled.tsv)": (texts, labels),
        "test, sentences only (>4 chars, not a taxonomy term)": (
            [texts[i] for i in hard],
            [labels[i] for i in hard],
        ),
        "development (dev.tsv, used for tuning)": (dev_texts, dev_labels),
    }.items():
        score, n = ari(t, lab, taxonomy)
        print(
            f"| {name} | {len(t)} | {len(set(lab))} | {score:.3f} | {n} | {baseline(t, lab):.3f} |"
        )

    print("\n## Ablation on the test set\n")
    print("| variant | ARI |")
    print("|---|---|")
    variants = {
        "full method": Params(),
        "no example sentences": replace(Params(), example_weight=0.0),
        "no residual clustering (one “other” bucket)": replace(Params(), residual_distance=2.0),
    }
    for name, params in variants.items():
        print(f"| {name} | {ari(texts, labels, taxonomy, params)[0]:.3f} |")

    print(f"\n## ARI by number of answers (random subsets of the test set, {repeats} draws)\n")
    print("| answers | mean ARI | min | max |")
    print("|---|---|---|---|")
    for size, mean, low, high in by_size(
        texts, labels, taxonomy, [50, 100, 200, 400, len(texts)], repeats
    ):
        print(f"| {size} | {mean:.3f} | {low:.3f} | {high:.3f} |")

    print("\n## Speed\n")
    big_texts, big_labels = make_answers(texts, labels, 10_000)
    (result, seconds) = timed(cluster_needs, big_texts, taxonomy)
    big_ari = adjusted_rand_score(big_labels, predictions(result, len(big_texts)))
    print(
        "| answers | in process (s) | CLI incl. start-up (s) | distinct strings | clusters | ARI |"
    )
    print("|---|---|---|---|---|---|")
    cli = cli_seconds(big_texts)
    print(
        f"| 10,000 | {seconds:.1f} | {cli:.1f} | {len(set(big_texts)):,} | {len(result.clusters)} |"
        f" {big_ari:.3f} |"
    )


if __name__ == "__main__":
    main()
