"""Clustering need statements: cleaning, the CLI, and quality on the shipped labelled set."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import adjusted_rand_score

from ganxun.needs.clustering import OTHER_LABEL, cluster_needs
from ganxun.needs.taxonomy import load_taxonomy
from ganxun.needs.text import normalise, skip_reason, split_statements

DATA = Path(__file__).resolve().parent.parent / "data" / "needs"
ARI_BOUND = 0.5


def load(name: str) -> tuple[list[str], list[str]]:
    rows = [
        line.split("\t", 1)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line
    ]
    return [text for _label, text in rows], [label for label, _text in rows]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


# --- cleaning ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  数字化改革怎么落地？？  ", "数字化改革怎么落地"),
        ("应急处置能力不足😀👍", "应急处置能力不足"),
        ("ＡＩ应用", "AI应用"),
        ("公文写作公文写作公文写作", "公文写作"),
        ("希望加强培训，希望加强培训，希望加强培训。", "希望加强培训"),
    ],
)
def test_normalise_repairs_what_people_type(raw, clean):
    assert normalise(raw) == clean


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("无", "no_content"),
        ("暂无建议", "no_content"),
        ("学", "too_short"),
        ("I want leadership training", "not_chinese"),
        ("123", "too_short"),
        ("PPT", None),
        ("AI", None),
        ("数字化", None),
    ],
)
def test_statements_that_are_set_aside_and_why(taxonomy, text, reason):
    assert skip_reason(normalise(text), taxonomy.terms()) == reason


def test_a_long_answer_splits_into_its_needs():
    answer = "1.数字化改革怎么落地 2、应急处置能力不足\n（3）公文写作；台风来了，怎么转移群众"
    assert split_statements(answer) == [
        "数字化改革怎么落地",
        "应急处置能力不足",
        "公文写作",
        "台风来了，怎么转移群众",
    ]


def test_bad_lines_are_skipped_with_reasons_and_the_rest_clustered(taxonomy):
    texts = [
        "数字化改革怎么落地",
        "",
        "😀😀",
        "hello",
        "无",
        "应急处置能力不足",
        "台风来了群众不愿转移",
    ]
    result = cluster_needs(texts, taxonomy)
    assert dict(result.skipped) == {
        1: "empty",
        2: "symbols_only",
        3: "not_chinese",
        4: "no_content",
    }
    assert sorted(i for c in result.clusters for i in c.members) == [0, 5, 6]
    emergency = next(c for c in result.clusters if 5 in c.members)
    assert 6 in emergency.members and emergency.label == "应急管理与突发事件处置"


def test_identical_lines_stay_together(taxonomy):
    texts = ["村里的垃圾怎么处理"] * 50 + ["想学英语口语", "英语口语怎么练"]
    result = cluster_needs(texts, taxonomy)
    together = next(c for c in result.clusters if 0 in c.members)
    assert set(range(50)) <= set(together.members)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_k_sets_the_number_of_clusters(taxonomy, k):
    texts, _labels = load("labelled.tsv")
    result = cluster_needs(texts[:120], taxonomy, k=k)
    assert len(result.clusters) == k
    assert sorted(i for c in result.clusters for i in c.members) == list(range(120))


def test_empty_input_gives_no_clusters(taxonomy):
    assert cluster_needs([], taxonomy).clusters == []
    assert cluster_needs(["无", ""], taxonomy).clusters == []


# --- quality on the shipped labelled set -------------------------------------------------------


def test_labelled_set_is_large_varied_and_held_out(taxonomy):
    texts, labels = load("labelled.tsv")
    dev_texts, _dev_labels = load("dev.tsv")
    assert len(texts) >= 600
    assert len(set(labels)) >= 30
    assert min(Counter(labels).values()) >= 5
    # most statements are sentences, not topic names or taxonomy terms
    assert sum(len(t) > 4 for t in texts) / len(texts) > 0.75
    terms = {term for topic in taxonomy.topics for term in (*topic.keywords, *topic.synonyms)}
    assert sum(t in terms for t in texts) / len(texts) < 0.15
    # the set used for tuning shares only a few short, common statements with it
    assert sum(t in set(dev_texts) for t in texts) / len(texts) < 0.06
    # topics the taxonomy does not know are in it too (found by clustering, not by keywords)
    assert {"anti_fraud", "archives", "veterans"} <= set(labels)
    assert not {"anti_fraud", "archives", "veterans"} & {t.code for t in taxonomy.topics}


def test_clustering_without_k_reaches_the_ari_bound(taxonomy):
    # given the shipped labelled set and the shipped taxonomy (frozen before the set was written)
    texts, labels = load("labelled.tsv")
    # when it is clustered without being told the number of clusters
    result = cluster_needs(texts, taxonomy)
    predicted = [-1] * len(texts)
    for index, cluster in enumerate(result.clusters):
        for member in cluster.members:
            predicted[member] = index
    for member, _reason in result.skipped:
        predicted[member] = 1000 + member
    # then the adjusted Rand index against the labels is at least 0.5
    ari = adjusted_rand_score(labels, predicted)
    assert ari >= ARI_BOUND, ari
    # and the number of clusters was found, not given: near the 39 labelled topics
    assert 25 <= len(result.clusters) <= 60
    assert sum(c.label == OTHER_LABEL for c in result.clusters) <= 1


# --- the command line ----------------------------------------------------------------------------


def test_cli_prints_clusters_with_zero_based_line_numbers(tmp_path, capsys, db):
    path = tmp_path / "answers.txt"
    path.write_text(
        "数字化改革怎么落地\n\n应急处置能力不足\n台风来了群众不愿转移\n", encoding="utf-8"
    )
    call_command("cluster-needs", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    members = sorted(m for c in out["clusters"] for m in c["members"])
    assert members == [0, 2, 3]
    assert all(set(c) == {"label", "members"} for c in out["clusters"])
    assert out["skipped"] == [{"line": 1, "reason": "empty"}]


def test_cli_with_k_and_the_human_readable_form(tmp_path, capsys, db):
    path = tmp_path / "answers.txt"
    path.write_text("\n".join(load("labelled.tsv")[0][:80]), encoding="utf-8")
    call_command("cluster-needs", str(path), "--k", "5", "--json")
    assert len(json.loads(capsys.readouterr().out)["clusters"]) == 5
    call_command("cluster-needs", str(path))
    assert "80 行" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "无法读取文件"),
        (b"\xff\xfe\x00", [], "不是 UTF-8"),
        ("数字化\n".encode(), ["--k", "0"], "正整数"),
    ],
)
def test_cli_bad_input_gets_a_clear_message(tmp_path, db, content, args, message):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("cluster-needs", str(path), *args)


def test_the_seeded_topics_are_the_shipped_taxonomy(db, taxonomy):
    # given the topics table as the data migration fills it (re-run: other tests may flush it)
    from importlib import import_module

    from django.apps import apps

    from ganxun.needs.curation import taxonomy_from_db
    from ganxun.needs.models import NeedTopic

    NeedTopic.objects.all().delete()
    import_module("ganxun.needs.migrations.0003_seed_topics").seed(apps, None)
    # then clustering from the database uses exactly the shipped topics
    assert taxonomy_from_db() == taxonomy
    # and an administrator's edit is what the next run uses
    NeedTopic.objects.filter(code="digital").update(is_active=False)
    assert "digital" not in {t.code for t in taxonomy_from_db().topics}
