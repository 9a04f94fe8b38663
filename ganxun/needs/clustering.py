"""Common needs from free-text answers: the taxonomy places what it can, clustering does the rest.

Plain TF-IDF + k-means on short, varied need statements scores an adjusted Rand index of about
0.1 (docs/benchmarks.md): two answers about the same need rarely share characters
(“应急处置能力不足” / “台风来了群众不肯转移”). So the work is done in three steps:

1. clean: emoji out, pasted repetitions folded, placeholders and non-Chinese lines set aside;
2. place by the taxonomy: longest-match keyword/synonym hits plus character-n-gram similarity
   to the topic's example sentences; only clear winners are placed;
3. cluster what is left (needs the taxonomy does not know) by character n-grams, with a
   distance threshold, so the number of clusters is found, not given.

A self-training step (unplaced answers joining the topic whose placed answers they resemble)
was tried and dropped: it changed nothing on the development set (docs/benchmarks.md).

Pure functions over lists of strings: the CLI, the bench and the background job share them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ganxun.needs.taxonomy import Taxonomy
from ganxun.needs.text import normalise, skip_reason
from ganxun.needs.words import cluster_keywords

OTHER_LABEL = "其他（未归类）"


@dataclass(frozen=True)
class Params:
    """Thresholds, tuned on the development set (tests/data/needs/dev.tsv) only."""

    synonym_weight: float = 0.7
    example_weight: float = 2.0
    place_score: float = 0.4
    place_margin: float = 0.01
    residual_distance: float = 0.9
    max_agglomerative: int = 3000


@dataclass
class Cluster:
    label: str
    members: list[int]
    topic: str = ""
    keywords: list[str] = field(default_factory=list)
    representatives: list[int] = field(default_factory=list)
    is_other: bool = False


@dataclass
class ClusterResult:
    clusters: list[Cluster]
    skipped: list[tuple[int, str]]

    def as_dict(self) -> dict:
        return {
            "clusters": [{"label": c.label, "members": c.members} for c in self.clusters],
            "skipped": [{"line": i, "reason": r} for i, r in self.skipped],
        }


# --- 1. cleaning ------------------------------------------------------------------------------


def prepare(texts: list[str], taxonomy: Taxonomy) -> tuple[list[tuple[int, str]], list]:
    """(index, clean text) of the statements to cluster, and (index, reason) of the rest."""
    known = taxonomy.terms()
    kept, skipped = [], []
    for index, raw in enumerate(texts):
        clean = normalise(raw)
        reason = skip_reason(clean, known)
        if reason == "empty" and (raw or "").strip():
            reason = "symbols_only"
        if reason:
            skipped.append((index, reason))
        else:
            kept.append((index, clean))
    return kept, skipped


# --- 2. taxonomy ------------------------------------------------------------------------------


class TermMatcher:
    """Longest-match scan of keywords and synonyms; a term shared by n topics counts 1/n each."""

    def __init__(self, taxonomy: Taxonomy, synonym_weight: float):
        hits: dict[str, dict[int, float]] = defaultdict(dict)
        for t_index, topic in enumerate(taxonomy.topics):
            for base, terms in ((1.0, topic.keywords), (synonym_weight, topic.synonyms)):
                for term in terms:
                    term = term.strip().lower()
                    if term:
                        weight = base * min(len(term), 4) / 3
                        hits[term][t_index] = max(hits[term].get(t_index, 0), weight)
        self.terms = {term: {t: w / len(by) for t, w in by.items()} for term, by in hits.items()}
        self.lengths = sorted({len(term) for term in self.terms}, reverse=True)
        self.n_topics = len(taxonomy.topics)

    def match(self, text: str) -> dict[int, float]:
        text = text.lower()
        scores: dict[int, float] = defaultdict(float)
        i, n = 0, len(text)
        while i < n:
            for length in self.lengths:
                found = self.terms.get(text[i : i + length]) if i + length <= n else None
                if found:
                    for t_index, weight in found.items():
                        scores[t_index] += weight
                    i += length
                    break
            else:
                i += 1
        return scores

    def matrix(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.n_topics))
        for row, text in enumerate(texts):
            for t_index, score in self.match(text).items():
                out[row, t_index] = score
        return out


def _char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)


def _example_similarity(texts: list[str], taxonomy: Taxonomy, vectorizer) -> np.ndarray:
    """Cosine similarity of each text to the centroid of each topic's example sentences."""
    examples = [(t, ex) for t, topic in enumerate(taxonomy.topics) for ex in topic.examples]
    if not examples:
        return np.zeros((len(texts), len(taxonomy.topics)))
    ex_vectors = vectorizer.transform([ex for _t, ex in examples])
    owner = sparse.csr_matrix(
        (np.ones(len(examples)), ([t for t, _ex in examples], range(len(examples)))),
        shape=(len(taxonomy.topics), len(examples)),
    )
    centroids = normalize(owner @ ex_vectors)
    return (vectorizer.transform(texts) @ centroids.T).toarray()


def _confident(scores: np.ndarray, minimum: float, margin: float) -> np.ndarray:
    """Topic index per row where the best score is high enough and clear of the runner-up."""
    if scores.shape[1] == 0:
        return np.full(scores.shape[0], -1)
    order = np.sort(scores, axis=1)
    best = order[:, -1]
    second = order[:, -2] if scores.shape[1] > 1 else np.zeros_like(best)
    winner = scores.argmax(axis=1)
    winner[(best < minimum) | (best - second < margin)] = -1
    return winner


def place_by_taxonomy(texts, taxonomy, vectors_fit, params: Params) -> np.ndarray:
    matcher = TermMatcher(taxonomy, params.synonym_weight)
    scores = matcher.matrix(texts)
    scores += params.example_weight * _example_similarity(texts, taxonomy, vectors_fit)
    return _confident(scores, params.place_score, params.place_margin)


# --- 3. what the taxonomy does not know ---------------------------------------------------------


def cluster_residual(vectors, params: Params, n_clusters: int | None = None) -> np.ndarray:
    """Cluster ids for the rows no topic took; -1 for rows left alone (singletons)."""
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.full(1, -1)
    if n_clusters is not None:
        n_clusters = max(1, min(n_clusters, n))
    if n > params.max_agglomerative:
        k = n_clusters or max(2, int(np.sqrt(n / 2)))
        model = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=2048)
        return model.fit_predict(vectors)
    model = AgglomerativeClustering(
        n_clusters=n_clusters,
        distance_threshold=None if n_clusters else params.residual_distance,
        metric="cosine",
        linkage="average",
    )
    labels = model.fit_predict(vectors.toarray())
    if n_clusters:
        return labels
    sizes = np.bincount(labels)
    return np.where(sizes[labels] > 1, labels, -1)


# --- putting it together ------------------------------------------------------------------------


def cluster_needs(
    texts: list[str], taxonomy: Taxonomy, k: int | None = None, params: Params | None = None
) -> ClusterResult:
    """Clusters of the given statements (members are indices into ``texts``).

    Identical statements are clustered once and keep all their indices. With ``k`` the result
    has at most ``k`` clusters (fewer only when there are fewer distinct statements).
    """
    params = params or Params()
    kept, skipped = prepare(texts, taxonomy)
    if not kept:
        return ClusterResult([], skipped)
    unique, owners = _unique(kept)
    char = _char_vectorizer().fit(unique + [ex for t in taxonomy.topics for ex in t.examples])
    vectors = char.transform(unique)
    topics = place_by_taxonomy(unique, taxonomy, char, params)
    groups = _groups(topics, taxonomy)
    rest = np.flatnonzero(topics < 0)
    residual_k = None if k is None else max(1, k - len(groups))
    if len(rest):
        rest_vectors = _residual_vectors(unique, rest)
        for label in _residual_groups(cluster_residual(rest_vectors, params, residual_k), rest):
            groups.append(label)
    if k is not None:
        groups = _merge_down(groups, vectors, k)
        groups = _split_up(groups, vectors, k)
    clusters = [_build(g, unique, owners, vectors) for g in groups]
    clusters.sort(key=lambda c: (c.is_other, -len(c.members)))
    return ClusterResult(clusters, skipped)


def _unique(kept: list[tuple[int, str]]) -> tuple[list[str], list[list[int]]]:
    position: dict[str, int] = {}
    unique: list[str] = []
    owners: list[list[int]] = []
    for index, text in kept:
        if text not in position:
            position[text] = len(unique)
            unique.append(text)
            owners.append([])
        owners[position[text]].append(index)
    return unique, owners


@dataclass
class _Group:
    rows: list[int]
    topic: str = ""
    label: str = ""
    is_other: bool = False


def _groups(topics: np.ndarray, taxonomy: Taxonomy) -> list[_Group]:
    by_topic: dict[int, list[int]] = defaultdict(list)
    for row, t_index in enumerate(topics):
        if t_index >= 0:
            by_topic[int(t_index)].append(row)
    return [
        _Group(rows, taxonomy.topics[t].code, taxonomy.topics[t].name)
        for t, rows in sorted(by_topic.items())
    ]


def _residual_vectors(unique: list[str], rows: np.ndarray):
    texts = [unique[i] for i in rows]
    char = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit(texts)
    return normalize(char.transform(texts))


def _residual_groups(labels: np.ndarray, rows: np.ndarray) -> list[_Group]:
    by_label: dict[int, list[int]] = defaultdict(list)
    for row, label in zip(rows, labels, strict=True):
        by_label[int(label)].append(int(row))
    groups = [_Group(r) for label, r in sorted(by_label.items()) if label >= 0]
    if -1 in by_label:
        groups.append(_Group(by_label[-1], label=OTHER_LABEL, is_other=True))
    return groups


def _merge_down(groups: list[_Group], vectors, k: int) -> list[_Group]:
    """Merge the smallest group into its most similar neighbour until at most ``k`` remain."""
    while len(groups) > max(k, 1):
        centroids = normalize(np.vstack([np.asarray(vectors[g.rows].sum(axis=0)) for g in groups]))
        sims = centroids @ centroids.T
        np.fill_diagonal(sims, -1)
        small = min(range(len(groups)), key=lambda i: len(groups[i].rows))
        target = int(sims[small].argmax())
        groups[target].rows.extend(groups[small].rows)
        groups[target].is_other = groups[target].is_other and groups[small].is_other
        del groups[small]
    return groups


def _split_up(groups: list[_Group], vectors, k: int) -> list[_Group]:
    """Halve the largest group (2-means) until ``k`` groups exist or none can be split."""
    unsplittable: set[int] = set()
    while len(groups) < k:
        candidates = [g for g in groups if len(g.rows) > 1 and id(g) not in unsplittable]
        if not candidates:
            break
        largest = max(candidates, key=lambda g: len(g.rows))
        halves = MiniBatchKMeans(n_clusters=2, random_state=0, n_init=3).fit_predict(
            vectors[largest.rows]
        )
        if halves.min() == halves.max():
            unsplittable.add(id(largest))
            continue
        rows = np.asarray(largest.rows)
        groups.remove(largest)
        groups.append(_Group(rows[halves == 0].tolist(), largest.topic, largest.label))
        groups.append(_Group(rows[halves == 1].tolist(), largest.topic, ""))
    return groups


def _build(group: _Group, unique, owners, vectors) -> Cluster:
    texts = [unique[r] for r in group.rows]
    weights = [len(owners[r]) for r in group.rows]
    keywords = cluster_keywords(texts, weights)
    label = group.label or "、".join(keywords[:2]) or texts[0][:12]
    members = sorted(i for r in group.rows for i in owners[r])
    return Cluster(
        label=label,
        members=members,
        topic=group.topic,
        keywords=keywords,
        representatives=[owners[r][0] for r in _central_rows(group.rows, vectors)],
        is_other=group.is_other,
    )


def _central_rows(rows: list[int], vectors, n: int = 3) -> list[int]:
    """The rows nearest the group's centroid: its most typical statements."""
    block = vectors[rows]
    centroid = normalize(np.asarray(block.sum(axis=0)))
    sims = np.asarray(block @ centroid.T).ravel()
    return [rows[i] for i in np.argsort(-sims, kind="stable")[:n]]
