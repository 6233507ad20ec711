"""The split of the suite between `make test`'s SQLite and PostgreSQL runs (tests/runs.py)."""

from hypothesis import given
from hypothesis import strategies as st

from tests.runs import RUNS, Traits, runs_of

traits = st.builds(Traits, uses_database=st.booleans(), path=st.text(max_size=40), stack=st.booleans(),
                   browser=st.booleans(), one_database=st.booleans(), has_skipif=st.booleans())


@given(traits)
def test_every_test_runs_somewhere(t):
    assert runs_of(t) and runs_of(t) <= set(RUNS)


@given(traits)
def test_a_database_test_without_a_once_mark_runs_on_both(t):
    if t.uses_database and not (t.stack or t.browser or t.one_database):
        assert runs_of(t) == set(RUNS)


@given(traits)
def test_a_test_that_may_skip_itself_by_database_runs_on_both_unless_marked_once(t):
    if t.has_skipif and not (t.stack or t.browser or t.one_database):
        assert runs_of(t) == set(RUNS)


def test_the_stack_runs_with_postgresql_and_the_browser_tests_with_sqlite():
    assert runs_of(Traits(uses_database=False, stack=True)) == {"postgres"}
    assert runs_of(Traits(uses_database=True, browser=True)) == {"sqlite"}
    assert runs_of(Traits(uses_database=True, one_database=True)) == {"sqlite"}


@given(st.text(max_size=40))
def test_a_test_without_database_runs_in_exactly_one_run_chosen_by_its_file(path):
    assert len(runs_of(Traits(uses_database=False, path=path))) == 1


def test_tests_without_database_are_shared_between_the_runs():
    files = [f"tests/app{n}/test_thing{n}.py" for n in range(40)]
    sqlite = sum(runs_of(Traits(uses_database=False, path=f)) == {"sqlite"} for f in files)
    assert 10 <= sqlite <= 30
