"""Batch matching equals the optimum of exact references: brute force on small cases, an LP on medium ones."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from kindred.onetoone.matching import solver
from kindred.onetoone.matching.scoring import Person, SupporterIndex, normalise_tags


def _random_graph(rng, n, m, per, max_cap):
    seekers, supporters, scores = [], [], []
    for i in range(n):
        for j in rng.choice(m, size=min(per, m), replace=False):
            seekers.append(i)
            supporters.append(int(j))
            scores.append(round(float(rng.random()), 3))
    capacities = rng.integers(0, max_cap + 1, size=m)
    return np.array(seekers), np.array(supporters), np.array(scores), capacities


def _brute_force(n, capacities, seekers, supporters, scores):
    """Every assignment: (most matched, best total in thousandths)."""
    options = [[None] + [e for e in range(len(seekers)) if seekers[e] == i] for i in range(n)]
    best = (0, 0)
    for choice in itertools.product(*options):
        used = np.zeros(len(capacities), dtype=int)
        ok = True
        for e in choice:
            if e is not None:
                used[supporters[e]] += 1
                if used[supporters[e]] > capacities[supporters[e]]:
                    ok = False
                    break
        if ok:
            chosen = [e for e in choice if e is not None]
            value = (len(chosen), round(sum(scores[e] * 1000 for e in chosen)))
            best = max(best, value)
    return best


def _check_feasible(n, capacities, seekers, supporters, chosen):
    assert len(set(seekers[chosen])) == len(chosen)  # one supporter per person
    load = np.bincount(supporters[chosen], minlength=len(capacities))
    assert (load <= capacities).all()  # every capacity respected


@pytest.mark.parametrize("seed", range(25))
def test_equals_brute_force_on_small_cases(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 7)), int(rng.integers(1, 4))
    seekers, supporters, scores, capacities = _random_graph(rng, n, m, per=int(rng.integers(1, 4)), max_cap=2)
    chosen = solver.solve(n, capacities, seekers, supporters, scores)
    _check_feasible(n, capacities, seekers, supporters, chosen)
    got = (len(chosen), round(sum(scores[e] * 1000 for e in chosen)))
    assert got == _brute_force(n, capacities, seekers, supporters, scores)


@pytest.mark.parametrize("seed", range(5))
def test_equals_lp_optimum_on_random_medium_cases(seed):
    rng = np.random.default_rng(100 + seed)
    n, m = 300, 60
    seekers, supporters, scores, capacities = _random_graph(rng, n, m, per=12, max_cap=5)
    chosen = solver.solve(n, capacities, seekers, supporters, scores)
    _check_feasible(n, capacities, seekers, supporters, chosen)
    matched, total = solver.lp_reference(n, capacities, seekers, supporters, scores)
    assert len(chosen) == matched
    assert round(float(scores[chosen].sum()), 3) == pytest.approx(total, abs=1e-6)
    greedy = solver.greedy(n, capacities, seekers, supporters, scores)
    assert (len(greedy), scores[greedy].sum()) <= (len(chosen), scores[chosen].sum() + 1e-9)


def test_matches_as_many_people_as_possible_before_total_score():
    # Greedy would give the one supporter to the best-scoring pair and leave someone out.
    seekers = np.array([0, 0, 1])
    supporters = np.array([0, 1, 0])
    scores = np.array([0.9, 0.1, 0.8])
    chosen = solver.solve(2, np.array([1, 1]), seekers, supporters, scores)
    assert sorted(zip(seekers[chosen], supporters[chosen], strict=True)) == [(0, 1), (1, 0)]


def _people(rng, n, prefix):
    tags = ["hearing voices", "grief", "anxiety", "self-harm", "eating", "psychosis", "being a carer"]
    interests = ["music", "walking", "football", "art", "gardening", "films"]
    langs = ["english", "polish", "urdu"]
    slots = [f"{d}-{p}" for d in ("mon", "tue", "wed", "sat") for p in ("morning", "evening")]
    people = []
    for i in range(n):
        people.append(
            Person(
                key=f"{prefix}{i}",
                experience=normalise_tags(list(rng.choice(tags, size=2, replace=False))),
                interests=normalise_tags(list(rng.choice(interests, size=2, replace=False))),
                text=" ".join(rng.choice(["voices", "music", "lonely", "walks", "grief", "family", "work"], size=5)),
                identity={"gender": str(rng.choice(["woman", "man", "non-binary"]))},
                preferences={"gender": (str(rng.choice(["woman", "man"])), str(rng.choice(["must", "prefer"])))}
                if rng.random() < 0.4
                else {},
                languages=frozenset({"english"}) if rng.random() < 0.8 else frozenset({str(rng.choice(langs))}),
                availability=frozenset(rng.choice(slots, size=3, replace=False)),
                capacity=int(rng.integers(1, 4)),
            )
        )
    return people


@pytest.mark.parametrize("seed", range(3))
def test_hard_constraints_never_violated_in_candidates_or_suggestions(seed):
    rng = np.random.default_rng(seed)
    seekers = _people(rng, 120, "s")
    supporters = _people(rng, 40, "t")
    index = SupporterIndex(supporters, extra_corpus=[p.text for p in seekers])
    excluded = {(seekers[0].key, supporters[0].key), (seekers[1].key, supporters[1].key)}
    heads, tails, _scores = index.candidates(seekers, per_seeker=10, excluded=excluded)
    for i, j in zip(heads, tails, strict=True):
        s, t = seekers[i], supporters[j]
        assert s.languages & t.languages
        for dim, (value, strength) in s.preferences.items():
            if strength == "must":
                assert t.identity.get(dim) == value
        assert (s.key, t.key) not in excluded
    for s in seekers[:20]:
        for t, explanation in index.suggest(s, excluded=excluded):
            assert s.languages & t.languages
            assert (s.key, t.key) not in excluded
            assert t.capacity > 0
            assert explanation.score == pytest.approx(
                float(index.score_block([s])[0][0, index.position[t.key]]), abs=2e-3
            )


def test_explanations_match_the_data():
    supporter = Person(
        key="t",
        experience=normalise_tags("Hearing voices, grief"),
        interests=normalise_tags("music, football"),
        text="I have heard voices since my teens and music helped",
        identity={"gender": "woman"},
        languages=frozenset({"english", "polish"}),
        availability=frozenset({"tue-evening", "sat-morning"}),
        capacity=1,
    )
    other = Person(key="u", experience=normalise_tags("anxiety"), interests=normalise_tags("art"), capacity=1)
    seeker = Person(
        key="s",
        experience=normalise_tags("hearing voices, anxiety"),
        interests=normalise_tags("Music"),
        text="I hear voices and music keeps me going",
        preferences={"gender": ("woman", "prefer")},
        languages=frozenset({"english", "polish"}),
        availability=frozenset({"tue-evening", "mon-morning"}),
    )
    index = SupporterIndex([supporter, other])
    (top, explanation), (second, _) = index.suggest(seeker)
    assert top.key == "t" and second.key == "u"
    text = "; ".join(explanation.reasons)
    assert "you both mentioned hearing voices and Music" in text
    assert "both free on Tuesday evenings" in text
    assert "Saturday" not in text and "Monday" not in text and "anxiety" not in text.split("mentioned")[1].split(";")[0]
    assert "gender: woman" in text
    assert "you both speak Polish" in text
    assert explanation.parts["availability"] > 0 and explanation.parts["experience"] > 0
    no_overlap = index.explain(seeker, other)
    assert "Tuesday" not in "; ".join(no_overlap.reasons)
    assert not any("speak" in r for r in no_overlap.reasons)


def test_distance_counts_for_in_person_schemes_and_limits_people_who_can_only_meet():
    near = Person(key="near", latitude=53.80, longitude=-1.55, channels=frozenset({"in_person"}), capacity=1)
    far = Person(key="far", latitude=51.50, longitude=-0.12, channels=frozenset({"in_person"}), capacity=1)
    seeker = Person(key="s", latitude=53.79, longitude=-1.54, channels=frozenset({"in_person"}), max_distance_km=10)
    index = SupporterIndex([near, far], in_person=True)
    suggestions = index.suggest(seeker)
    assert [p.key for p, _ in suggestions] == ["near"]  # London is beyond the 10 km the person can travel
    assert any(r.startswith("about ") and r.endswith(" km apart") for r in suggestions[0][1].reasons)
    flexible = Person(key="f", latitude=53.79, longitude=-1.54, channels=frozenset({"in_person", "phone"}))
    far.channels = frozenset({"in_person", "phone"})
    index = SupporterIndex([near, far], in_person=True)
    ranked = [p.key for p, _ in index.suggest(flexible)]
    assert ranked == ["near", "far"]  # distance still counts in the score
