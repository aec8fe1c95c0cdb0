"""Who may do what: every teachers' route by role, the services' own refusals, sharing, admins.

The route table is built from the `teach` blueprint's rules, so a new route fails
`test_every_teachers_route_is_classified` until it is given its right in NEEDS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import url_for

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Fact, PendingImport, Source, User
from quizapp.services import authoring, exchange, permissions, sharing
from tests.conftest import PASSWORD, log_in, make_user

LESSON = """Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.

King Michael led the coup of 23 August 1944 that deposed Antonescu."""

# The right each teachers' route needs: "teacher" (any teacher), "view" (see the bank),
# "edit" (owner or co-editor), "owner". remove_editor is "edit" because the table removes the
# co-editor, which the co-editor may do (leave); removing someone else is owner-only (tested
# below).
NEEDS = {
    "teach.index": "teacher",
    "teach.create_bank": "teacher",
    "teach.csv_template": "teacher",
    "teach.bank": "view",
    "teach.source": "view",
    "teach.fact": "view",
    "teach.export": "view",
    "teach.edit_bank": "edit",
    "teach.new_source": "edit",
    "teach.edit_source": "edit",
    "teach.suggestions": "edit",
    "teach.reject_suggestion": "edit",
    "teach.answer_suggestions": "edit",
    "teach.new_fact": "edit",
    "teach.edit_fact": "edit",
    "teach.retire_fact": "edit",
    "teach.new_question": "edit",
    "teach.edit_question": "edit",
    "teach.retire_question": "edit",
    "teach.import_file": "edit",
    "teach.import_preview": "edit",
    "teach.remove_editor": "edit",
    "teach.delete_bank": "owner",
    "teach.restore_bank": "owner",
    "teach.add_editor": "owner",
    "teach.publish": "owner",
    "teach.unpublish": "owner",
}
NAMES = {
    "owner": "duena",
    "coeditor": "coeditora",
    "outsider": "ajena",
    "admin": "jefa",
    "student": "ana",
}
SOURCE_FIELDS = {"origin": "o", "licence": "l", "attribution": "a"}
ROLES = ["anonymous", "student", "outsider", "admin", "coeditor", "owner"]


@dataclass
class World:
    """One bank and everything in it that a route can name."""

    slug: str
    source: str
    fact_id: int
    question_id: int
    coeditor_id: int
    tokens: dict[str, str]


@pytest.fixture
def people(app):
    """Ids of the owner, a co-editor, a teacher without rights, an admin and a student."""
    roles = {"owner": "teacher", "coeditor": "teacher", "outsider": "teacher", "admin": "admin"}
    return {who: make_user(app, NAMES[who], roles.get(who, "student")) for who in NAMES}


def _user(name: str) -> User:
    return db.session.scalar(db.select(User).where(User.name == name))


def _fact_data(source: Source, anchor: str = "p1") -> dict:
    passage = next(p for p in source.passages if p.anchor == anchor)
    return {
        "passage_id": passage.id,
        "evidence": "Romania joined the Axis on 23 November 1940",
        "statement": "Romania joined the Axis on 23 November 1940.",
        "answer": "23 November 1940",
        "kind": "date",
        "stems": "On what date did Romania join the Axis?",
        "topic": "axis-entry-date",
    }


def make_world(app, people, number: int, target: str) -> World:
    """A fresh bank for one request: "private" (unpublished, the owner's, with a co-editor),
    "published" (the same, published) or "site" (the founding bank from questions/)."""
    with app.app_context():
        owner = _user(NAMES["owner"])
        if target == "site":
            bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
            source = bank.sources[0]
            fact_id = db.session.scalar(
                db.select(db.func.min(Fact.id)).where(Fact.bank_id == bank.id)
            )
            question_id = 0
        else:
            bank = authoring.create_bank(
                owner,
                slug=f"lesson-{number}",
                titles={"en": f"Lesson {number}"},
                descriptions={"en": ""},
                languages=["en"],
                subject="history",
                licence="CC0",
            )
            source = authoring.add_source(
                owner, bank, title="Text", language="en", text=LESSON, **SOURCE_FIELDS
            )
            fact_id = authoring.save_fact(owner, bank, _fact_data(source)).id
            question = authoring.save_question(
                owner, bank, Authored(type="tf", stem="It was 1944.", is_true=True), None
            )
            question_id = question.id
            sharing.add_editor(owner, bank, NAMES["coeditor"])
            if target == "published":
                sharing.set_published(owner, bank, True)
        tokens = {}
        for who, user_id in people.items():
            token = f"{number:04d}{who}"[:32]
            payload = {"questions": [], "skipped": [], "language": "en"}
            db.session.add(
                PendingImport(
                    id=token,
                    bank_id=bank.id,
                    user_id=user_id,
                    file_format="gift",
                    filename="x.gift",
                    payload=payload,
                )
            )
            tokens[who] = token
        db.session.commit()
        return World(bank.slug, source.slug, fact_id, question_id, people["coeditor"], tokens)


def _url(app, rule, world: World, who: str) -> str:
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = world.source if rule.rule.startswith("/teach/sources/") else world.slug
        elif name == "fact_id":
            values[name] = world.fact_id
        elif name == "question_id":
            values[name] = world.question_id
        elif name == "user_id":
            values[name] = world.coeditor_id
        elif name == "token":
            values[name] = world.tokens.get(who, "0000nobody")
        elif name == "file_format":
            values[name] = "gift"
        else:
            raise AssertionError(f"no fixture for <{name}> in {rule.rule}")
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def expected(need: str, who: str, target: str) -> str | int:
    """What a request should get: "login", 403, 404 or "ok"."""
    if who == "anonymous":
        return "login"
    if who == "student":
        return 403
    if need == "teacher":
        return "ok"
    if target == "site":
        return "ok" if need == "view" else 403
    if who == "owner":
        return "ok"
    if who == "coeditor":
        return 403 if need == "owner" else "ok"
    # A teacher without rights on the bank; an admin is one too (admins manage accounts).
    if target == "published":
        return "ok" if need == "view" else 403
    return 404


def _teach_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("teach.")]


def test_every_teachers_route_is_classified(app):
    endpoints = {rule.endpoint for rule in _teach_rules(app)}
    assert endpoints == set(NEEDS), "give each new teachers' route its right in NEEDS"


def _client(app, who: str):
    client = app.test_client()
    return client if who == "anonymous" else log_in(client, NAMES[who])


@pytest.mark.parametrize("target", ["private", "published", "site"])
@pytest.mark.parametrize("who", ROLES)
def test_every_teachers_route_by_role(app, people, who, target):
    """Each route × GET/POST on a fresh bank: anonymous to login, student 403, a teacher
    without rights 404 (403 where the bank is published or a site bank, which they may see but
    not change), co-editor and owner allowed (owner-only actions: 403 for the co-editor)."""
    client = _client(app, who)
    number = 0
    failures = []
    for rule in sorted(_teach_rules(app), key=lambda r: r.endpoint):
        need = NEEDS[rule.endpoint]
        if need == "teacher" and target != "private":
            continue  # not about a bank: once is enough
        if target == "site" and "question_id" in rule.arguments:
            continue  # the founding bank has no hand-written questions
        for method in sorted({"GET", "POST"} & rule.methods):
            number += 1
            world = make_world(app, people, number, target)
            url = _url(app, rule, world, who)
            response = client.open(url, method=method, data={})
            want = expected(need, who, target)
            location = response.headers.get("Location", "")
            if want == "login":
                ok = response.status_code == 302 and "/login" in location
            elif want == "ok":
                ok = response.status_code in (200, 302, 400) and "/login" not in location
            else:
                ok = response.status_code == want
            if not ok:
                failures.append((method, url, want, response.status_code))
    assert number > 20
    assert not failures, failures


# ---------------------------------------------------------------------------------------------
# The services refuse by themselves


def _service_calls(bank, source, fact, question, user_id):
    """Every service that reads or changes a bank for a teacher, as a call taking the user."""
    from quizapp.services import suggestions

    fields = {"titles": {"en": "X"}, "descriptions": {}, "languages": ["en"]}
    fields |= {"subject": "", "licence": ""}
    tf = Authored(type="tf", stem="Another statement.", is_true=True)
    return {
        "update_bank": lambda u: authoring.update_bank(u, bank, **fields),
        "remove_bank": lambda u: authoring.remove_bank(u, bank),
        "restore_bank": lambda u: authoring.restore_bank(u, bank),
        "add_source": lambda u: authoring.add_source(
            u, bank, title="T", language="en", text="Some text.", **SOURCE_FIELDS
        ),
        "update_source": lambda u: authoring.update_source(
            u, source, title="T", text=LESSON, **SOURCE_FIELDS
        ),
        "save_fact": lambda u: authoring.save_fact(u, bank, _fact_data(source, "p2")),
        "edit_fact": lambda u: authoring.save_fact(u, bank, _fact_data(source), fact),
        "retire_fact": lambda u: authoring.retire_fact(u, fact),
        "save_question": lambda u: authoring.save_question(u, bank, tf, None),
        "retire_question": lambda u: authoring.retire_question(u, question),
        "open_suggestions": lambda u: suggestions.open_suggestions(u, source),
        "reject_suggestion": lambda u: suggestions.reject_suggestion(u, source, "p1", "1940"),
        "accept_suggestions": lambda u: suggestions.accept_suggestions(u, source, [("p2", "1944")]),
        "reject_suggestions": lambda u: suggestions.reject_suggestions(u, source, [("p2", "1944")]),
        "prepare_import": lambda u: exchange.prepare_import(
            bank, u, "gift", "q.gift", b"Q? {T}", "en"
        ),
        "export_questions": lambda u: exchange.export_questions(u, bank, "gift"),
        "export_zip": lambda u: exchange.export_zip(u, bank),
        "add_editor": lambda u: sharing.add_editor(u, bank, NAMES["admin"]),
        "remove_editor": lambda u: sharing.remove_editor(u, bank, user_id),
        "set_published": lambda u: sharing.set_published(u, bank, True),
    }


OWNER_ONLY = {"remove_bank", "restore_bank", "add_editor", "remove_editor", "set_published"}


def test_the_services_refuse_without_the_views(app, people):
    """Called directly, each service refuses a student (Forbidden), a teacher or admin without
    rights (NotFound) and a co-editor doing an owner's action (Forbidden), changing nothing."""
    world = make_world(app, people, 1, "private")
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == world.slug))
        source = db.session.scalar(db.select(Source).where(Source.slug == world.source))
        fact = db.session.get(Fact, world.fact_id)
        question = db.session.get(AuthoredQuestion, world.question_id)
        calls = _service_calls(bank, source, fact, question, people["outsider"])
        refusals = {"student": permissions.Forbidden, "outsider": permissions.NotFound}
        refusals["admin"] = permissions.NotFound
        for who, error in refusals.items():
            user = _user(NAMES[who])
            for name, call in calls.items():
                with pytest.raises(error):
                    call(user)
                    pytest.fail(f"{name} let {who} through")
        coeditor = _user(NAMES["coeditor"])
        for name in OWNER_ONLY:
            with pytest.raises(permissions.Forbidden):
                calls[name](coeditor)
        with pytest.raises(permissions.Forbidden):
            authoring.create_bank(_user(NAMES["student"]), slug="x", **_BANK_FIELDS)
        # The co-editor edits content, as the owner does.
        calls["update_bank"](coeditor)
        pending = db.session.get(PendingImport, world.tokens["outsider"])
        with pytest.raises(permissions.NotFound):
            exchange.commit_import(_user(NAMES["outsider"]), pending)
        with pytest.raises(permissions.NotFound):
            exchange.commit_import(coeditor, pending)  # someone else's pending import
        db.session.rollback()
        assert db.session.get(Bank, bank.id).titles == {"en": "Lesson 1"}


_BANK_FIELDS = {
    "titles": {"en": "X"},
    "descriptions": {},
    "languages": ["en"],
    "subject": "",
    "licence": "",
}


def test_a_site_bank_is_read_only_for_everyone_even_an_admin(app, people):
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        fields = {"titles": {"en": "X"}, "descriptions": {}, "languages": ["en", "es"]}
        fields |= {"subject": "", "licence": ""}
        for name in (NAMES["admin"], NAMES["owner"]):
            user = _user(name)
            assert permissions.can_view(user, bank) and permissions.can_take(user, bank)
            with pytest.raises(permissions.Forbidden, match="edited through its files"):
                authoring.update_bank(user, bank, **fields)
            with pytest.raises(permissions.Forbidden):
                authoring.remove_bank(user, bank)
            with pytest.raises(permissions.Forbidden):
                authoring.add_source(
                    user, bank, title="T", language="en", text="x", **SOURCE_FIELDS
                )
            assert exchange.export_zip(user, bank)[:2] == b"PK"
        assert permissions.can_take(None, bank)


def test_the_sql_rules_agree_with_the_python_rules(app, people):
    for number, target in enumerate(["private", "published", "private"], start=1):
        make_world(app, people, number, target)
    with app.app_context():
        archived = db.session.scalar(db.select(Bank).where(Bank.slug == "lesson-3"))
        archived.archived, archived.published = True, True
        db.session.commit()
        banks = db.session.scalars(db.select(Bank)).all()
        for user in db.session.scalars(db.select(User)):
            viewable = set(
                db.session.scalars(db.select(Bank.id).where(permissions.viewable_clause(user)))
            )
            offered = set(
                db.session.scalars(db.select(Bank.id).where(permissions.offered_clause(user)))
            )
            for bank in banks:
                assert (bank.id in viewable) == permissions.can_view(user, bank), (user, bank)
                assert (bank.id in offered) == permissions.can_take(user, bank), (user, bank)
        visitor = set(
            db.session.scalars(db.select(Bank.slug).where(permissions.offered_clause(None)))
        )
        assert visitor == {"romania-ww2", "lesson-2"}


# ---------------------------------------------------------------------------------------------
# Sharing in the browser


def test_the_owner_adds_and_removes_co_editors(app, people):
    world = make_world(app, people, 1, "private")
    owner, other = _client(app, "owner"), _client(app, "outsider")
    edit = f"/teach/banks/{world.slug}/edit"
    assert other.get(edit).status_code == 404
    page = owner.post(
        f"/teach/banks/{world.slug}/editors", data={"name": "AJENA"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "ajena may now edit this bank." in page
    assert other.get(edit).status_code == 200
    listing = other.get("/teach/").get_data(as_text=True)
    assert world.slug in listing[listing.index("Shared with me") : listing.index("Published by")]
    for name, message in (("nadie", "There is no teacher called nadie."),
                          ("ana", "There is no teacher called ana."),
                          ("ajena", "ajena is a co-editor already."),
                          ("duena", "The owner edits the bank already.")):  # fmt: skip
        page = owner.post(
            f"/teach/banks/{world.slug}/editors", data={"name": name}, follow_redirects=True
        ).get_data(as_text=True)
        assert message in page
    # A co-editor may not remove another co-editor, nor add one.
    coeditor = _client(app, "coeditor")
    outsider_id = people["outsider"]
    remove_other = f"/teach/banks/{world.slug}/editors/{outsider_id}/remove"
    assert coeditor.post(remove_other).status_code == 403
    assert (
        coeditor.post(f"/teach/banks/{world.slug}/editors", data={"name": "jefa"}).status_code
        == 403
    )
    assert owner.post(remove_other).status_code == 302
    assert other.get(edit).status_code == 404
    # The co-editor leaves.
    leave = f"/teach/banks/{world.slug}/editors/{people['coeditor']}/remove"
    assert coeditor.post(leave).status_code == 302
    assert coeditor.get(edit).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(Bank).where(Bank.slug == world.slug)).editors == []


def test_a_co_editor_demoted_to_student_loses_the_bank(app, people):
    world = make_world(app, people, 1, "private")
    coeditor = _client(app, "coeditor")
    assert coeditor.get(f"/teach/banks/{world.slug}/edit").status_code == 200
    with app.app_context():
        _user(NAMES["coeditor"]).role = "student"
        db.session.commit()
    assert coeditor.get(f"/teach/banks/{world.slug}/edit").status_code == 403
    assert world.slug not in coeditor.get("/").get_data(as_text=True)


def test_publishing_lets_others_use_a_bank_but_not_edit_it(app, people):
    world = make_world(app, people, 1, "private")
    owner, other, student = _client(app, "owner"), _client(app, "outsider"), _client(app, "student")
    assert "Lesson 1" not in student.get("/").get_data(as_text=True)
    assert "Lesson 1" not in other.get("/teach/").get_data(as_text=True)
    assert "Lesson 1" in owner.get("/").get_data(as_text=True)  # the owner may try it
    assert owner.post(f"/teach/banks/{world.slug}/publish").status_code == 302
    listing = other.get("/teach/").get_data(as_text=True)
    published = listing[listing.index("Published by other teachers") : listing.index("Site banks")]
    assert "Lesson 1" in published
    page = other.get(f"/teach/banks/{world.slug}").get_data(as_text=True)
    assert "Use it for a quiz" in page and "Add a co-editor" not in page
    assert f"/teach/banks/{world.slug}/edit" not in page
    assert other.get(f"/teach/banks/{world.slug}/export.gift").status_code == 200
    assert other.post(f"/teach/banks/{world.slug}/edit", data={}).status_code == 403
    assert other.post(f"/teach/facts/{world.fact_id}/retire").status_code == 403
    with app.app_context():
        bank_id = db.session.scalar(db.select(Bank.id).where(Bank.slug == world.slug))
        assert not db.session.get(Bank, bank_id).archived
    form = {f"b{bank_id}-language": "en", f"b{bank_id}-count": "5", f"b{bank_id}-types": ["tf"]}
    assert "Lesson 1" in student.get("/").get_data(as_text=True)
    started = student.post(f"/banks/{world.slug}/start", data=form)
    assert started.status_code in (302, 400) and started.status_code != 404
    assert owner.post(f"/teach/banks/{world.slug}/unpublish").status_code == 302
    assert student.post(f"/banks/{world.slug}/start", data=form).status_code == 404
    assert other.get(f"/teach/banks/{world.slug}").status_code == 404
    # Its sources are no longer public either.
    assert student.get(f"/sources/{world.source}").status_code == 404
    assert world.source not in student.get("/sources").get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# Admins


ADMIN_ROUTES = [
    ("GET", "/admin/users"),
    ("POST", "/admin/users/{id}/role"),
    ("POST", "/admin/users/{id}/password"),
]


@pytest.mark.parametrize(
    ("who", "want"),
    [("anonymous", "login"), ("student", 403), ("owner", 403), ("admin", "ok")],
)
def test_admin_routes_by_role(app, people, who, want):
    client = _client(app, who)
    for method, path in ADMIN_ROUTES:
        url = path.format(id=people["student"])
        data = {f"u{people['student']}-role": "student"}
        response = client.open(url, method=method, data=data)
        location = response.headers.get("Location", "")
        if want == "login":
            assert response.status_code == 302 and "/login" in location, url
        elif want == "ok":
            assert response.status_code in (200, 302), (url, response.status_code)
        else:
            assert response.status_code == want, url


def test_the_admin_changes_roles_but_never_leaves_the_site_without_an_admin(app, people):
    admin = _client(app, "admin")
    me = people["admin"]
    response = admin.post(f"/admin/users/{me}/role", data={f"u{me}-role": "teacher"})
    assert response.status_code == 400
    assert "jefa is the last admin: make another admin first." in response.get_data(as_text=True)
    response = admin.post(f"/admin/users/{me}/role", data={f"u{me}-role": "root"})
    assert response.status_code == 400
    student = people["student"]
    assert (
        admin.post(f"/admin/users/{student}/role", data={f"u{student}-role": "teacher"}).status_code
        == 302
    )
    owner = people["owner"]
    assert (
        admin.post(f"/admin/users/{owner}/role", data={f"u{owner}-role": "admin"}).status_code
        == 302
    )
    assert admin.post(f"/admin/users/{me}/role", data={f"u{me}-role": "teacher"}).status_code == 302
    with app.app_context():
        roles = {u.name: u.role for u in db.session.scalars(db.select(User))}
    assert roles["ana"] == "teacher" and roles["duena"] == "admin" and roles["jefa"] == "teacher"
    # A role change ends the user's sessions: signed in again, the former admin is refused.
    assert admin.get("/admin/users").status_code == 302
    assert _client(app, "admin").get("/admin/users").status_code == 403


def test_a_password_reset_is_shown_once_and_must_be_changed(app, people):
    admin = _client(app, "admin")
    page = admin.post(f"/admin/users/{people['student']}/password")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code class="password">([^<]+)</code>', page.get_data(as_text=True))
    assert password
    assert password.group(1) not in admin.get("/admin/users").get_data(as_text=True)
    learner = app.test_client()
    assert learner.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 400
    response = learner.post("/login", data={"name": "ana", "password": password.group(1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")
    # Nothing else opens until the new password is chosen.
    for url in ("/", "/history", "/sources"):
        assert learner.get(url).headers["Location"].endswith("/password"), url
    new = {
        "current": password.group(1),
        "password": "blue kettle under the stairs",
        "confirm": "blue kettle under the stairs",
    }
    assert learner.post("/password", data=new).status_code == 302
    assert learner.get("/history").status_code == 200


def test_the_command_line_sets_roles_and_resets_passwords(app, people):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "set-role", "ana", "teacher"])
    assert result.exit_code == 0 and "ana is now teacher" in result.output
    refused = runner.invoke(args=["user", "set-role", "jefa", "student"])
    assert refused.exit_code == 1 and "last admin" in refused.output
    assert runner.invoke(args=["user", "set-role", "nadie", "teacher"]).exit_code == 1
    assert runner.invoke(args=["user", "set-role", "ana", "root"]).exit_code == 2
    reset = runner.invoke(args=["user", "reset-password", "ana"])
    assert reset.exit_code == 0
    password = reset.output.split("One-time password for ana: ")[1].split()[0]
    with app.app_context():
        user = _user("ana")
        assert user.role == "teacher" and user.must_change_password
    response = app.test_client().post("/login", data={"name": "ana", "password": password})
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")


def test_the_first_teacher_is_an_admin(app):
    from quizapp.services.users import ensure_teacher

    with app.app_context():
        user, _password = ensure_teacher()
        db.session.commit()
        assert user.role == "admin" and user.is_teacher and user.must_change_password
        assert ensure_teacher() is None


# ---------------------------------------------------------------------------------------------
# Caching


def test_logged_in_pages_are_not_stored_and_static_files_may_be(app, people, client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    for url in ("/login", "/register"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
    for who, urls in (
        ("student", ["/", "/history", "/sources", "/password"]),
        ("owner", ["/teach/", "/teach/banks/romania-ww2", "/classes"]),
        ("admin", ["/admin/users"]),
    ):
        logged_in = _client(app, who)
        for url in urls:
            response = logged_in.get(url)
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == "no-store", url
        assert logged_in.get("/no-such-page").headers["Cache-Control"] == "no-store"
        static = logged_in.get("/static/style.css")
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("Cache-Control", "")
