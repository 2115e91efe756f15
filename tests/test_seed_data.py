"""The curated seed data is complete, consistent and points at the right places."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from aseanjapan.loading.check import check_paths
from aseanjapan.settings import seed_dir

from .seed_articles import REPO, articles_by_hash, comparable, core, figures_in

EXEMPTIONS_DIR = REPO / "tests" / "seed_figure_exemptions"


@pytest.fixture(scope="module")
def seed():
    return check_paths([seed_dir()])  # raises with every located problem if invalid


@pytest.fixture(scope="module")
def articles():
    found = articles_by_hash()
    if not found:
        pytest.skip("seed articles (../shared/seeds) are not beside the repository")
    return found


def _citations(seed):
    """(document slug, paragraph, reported_as, where) for every citation in the seed."""
    for pb in seed:
        b = pb.bundle
        for section in ("actors", "initiatives", "claims", "statistics", "events"):
            for i, record in enumerate(getattr(b, section)):
                for j, c in enumerate(record.citations):
                    yield c.document, c.paragraph, c.reported_as, pb.where(section, i, "citations", j)
        for i, c in enumerate(b.citations):
            yield c.document, c.paragraph, c.reported_as, pb.where("citations", i)


def _article_documents(seed, articles):
    return {d.slug: articles[d.content_sha256] for pb in seed for d in pb.bundle.documents if d.content_sha256 in articles}


def test_every_seed_article_has_its_document(seed, articles):
    hashes = {d.content_sha256 for pb in seed for d in pb.bundle.documents}
    assert set(articles) <= hashes


def test_citations_to_articles_point_inside_them(seed, articles):
    docs = _article_documents(seed, articles)
    problems = []
    for document, paragraph, reported_as, where in _citations(seed):
        if document not in docs:
            continue
        paragraphs = docs[document]
        if paragraph is None:
            problems.append(f"{where}: citation of a seed article needs a paragraph")
        elif paragraph > len(paragraphs):
            problems.append(f"{where}: paragraph {paragraph} beyond the article's {len(paragraphs)}")
        elif reported_as and comparable(reported_as) not in comparable(paragraphs[paragraph - 1]):
            problems.append(f"{where}: {reported_as!r} is not in paragraph {paragraph} of {document}")
    assert not problems, "\n".join(problems)


def test_attributed_names_appear_where_cited(seed, articles):
    docs = _article_documents(seed, articles)
    problems = []
    for pb in seed:
        for section in ("actors", "initiatives"):
            for i, record in enumerate(getattr(pb.bundle, section)):
                for j, name in enumerate(record.names):
                    if name.document in docs:
                        text = docs[name.document][name.paragraph - 1] if name.paragraph else ""
                        if comparable(name.name) not in comparable(text):
                            problems.append(f"{pb.where(section, i, 'names', j)}: {name.name!r} not in the cited paragraph")
    assert not problems, "\n".join(problems)


def test_no_person_holds_a_claim_the_cited_passage_does_not_give_them(seed, articles):
    """A person holds a claim only as the cited document's author or where the cited
    paragraph names them: a panel summary's takeaways, credited to no speaker, are held by
    no speaker."""
    docs = _article_documents(seed, articles)
    authors = {d.slug: set(d.authors) for pb in seed for d in pb.bundle.documents}
    spoken_as = {}  # person slug -> the ways a paragraph may name them
    for pb in seed:
        for actor in pb.bundle.actors:
            if actor.kind == "person":
                spoken_as[actor.slug] = {actor.name, actor.name.split()[-1]} | {n.name for n in actor.names}
    problems = []
    for pb in seed:
        for i, claim in enumerate(pb.bundle.claims):
            for holder in set(claim.holders) & set(spoken_as):
                for j, c in enumerate(claim.citations):
                    if c.document not in docs or holder in authors[c.document]:
                        continue
                    passage = comparable(docs[c.document][c.paragraph - 1])
                    if not any(comparable(name) in passage for name in spoken_as[holder]):
                        problems.append(f"{pb.where('claims', i, 'citations', j)}: {holder} is not named in "
                                        f"{c.document} paragraph {c.paragraph} and is not its author")
    assert not problems, "\n".join(problems)


def test_every_figure_in_the_articles_is_captured_or_explained(seed, articles):
    """Each number in an article is in a citation's `reported_as` for that paragraph,
    or listed with a reason in tests/seed_figure_exemptions/<document>.yaml."""
    docs = _article_documents(seed, articles)
    reported = defaultdict(list)
    for document, paragraph, reported_as, _ in _citations(seed):
        if reported_as:
            reported[(document, paragraph)].append(comparable(reported_as))
    problems = []
    for slug, paragraphs in docs.items():
        exempt_file = EXEMPTIONS_DIR / f"{slug}.yaml"
        exempt = yaml.safe_load(exempt_file.read_text(encoding="utf-8")) if exempt_file.exists() else []
        exempted = {(e["paragraph"], comparable(str(e["figure"]))) for e in exempt or []}
        for number, paragraph in enumerate(paragraphs, start=1):
            for figure in figures_in(paragraph):
                if (number, comparable(figure)) in exempted:
                    continue
                if not any(core(figure) in text for text in reported[(slug, number)]):
                    problems.append(f"{slug} paragraph {number}: figure {figure!r} is not captured")
    assert not problems, "\n".join(problems)


def test_every_record_type_is_represented(seed):
    counts = defaultdict(int)
    for pb in seed:
        for section in ("documents", "actors", "initiatives", "claims", "statistics", "events", "metrics", "areas"):
            counts[section] += len(getattr(pb.bundle, section))
    assert all(counts[s] > 0 for s in counts), counts
