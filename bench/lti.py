"""Benchmark: what LTI costs a request, against the simulated platform of the tests (in
process, no network, so the figures are quizapp's own work).

Prints the median time of: a learner's first launch (login initiation + launch: signature,
state and nonce, a new account, joining the class, starting the attempt), a returning
learner's launch, finishing an attempt of an assignment placed in an LMS course (the grade
queued and sent: token and score calls answered in process), and finishing an attempt of an
assignment that is not (the hook's one extra query), with the ratios between them.

    .venv/bin/python bench/lti.py [--learners 20]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp import create_app  # noqa: E402
from quizapp.core.bank import load_bank  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Bank, SchoolClass  # noqa: E402
from quizapp.services import assignments, classes  # noqa: E402
from quizapp.services.assignments import AssignmentSettings  # noqa: E402
from quizapp.services.banks import store_bank  # noqa: E402
from quizapp.services.lti.platforms import PlatformSettings, create_platform  # noqa: E402
from quizapp.services.permissions import OPERATOR  # noqa: E402
from quizapp.services.users import create_user, find_user  # noqa: E402
from tests.conftest import PASSWORD, log_in  # noqa: E402
from tests.lti_platform import INSTRUCTOR, Platform  # noqa: E402
from tests.quiz_helpers import frozen, right_answer_form  # noqa: E402


def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'lti.sqlite3'}",
        }
    )
    lms = Platform()
    app.config["LTI_HTTP_SESSION"] = lms.session
    with app.app_context():
        db.create_all()
        store_bank(load_bank(ROOT / "questions" / "romania-ww2"), "bench")
        create_platform(
            OPERATOR,
            PlatformSettings(
                "LMS",
                lms.issuer,
                lms.client_id,
                (lms.deployment_id,),
                lms.auth_login_url,
                lms.auth_token_url,
                lms.key_set_url,
            ),
        )
        create_user("plain-teacher", PASSWORD, "teacher")
        db.session.commit()
    lms.tool_jwks = app.test_client().get("/lti/jwks").get_json()
    teacher = app.test_client()
    response, _form = lms.launch(
        teacher,
        subject="t",
        roles=(INSTRUCTOR,),
        name="Teacher One",
        message_type="LtiDeepLinkingRequest",
    )
    with app.app_context():
        class_id = db.session.scalar(db.select(SchoolClass.id))
        bank = db.session.scalar(db.select(Bank))
        owner = find_user("Teacher.One")
        settings = AssignmentSettings(
            "Bench", bank.id, "en", ["mcq", "tf"], 5, attempts_allowed=None
        )
        linked = assignments.create_assignment(
            owner, db.session.get(SchoolClass, class_id), settings
        )
        plain_teacher = find_user("plain-teacher")
        plain_class = classes.create_class(plain_teacher, "Plain")
        plain = assignments.create_assignment(plain_teacher, plain_class, settings)
        db.session.commit()
        linked_id, plain_id, code = linked.id, plain.id, plain_class.join_code
    custom = {"quizapp_assignment": str(linked_id)}

    first, again, finish_lti, finish_plain = [], [], [], []
    for n in range(args.learners):
        client = app.test_client()
        started = time.perf_counter()
        response, _form = lms.launch(client, subject=f"s{n}", name=f"Learner {n}", custom=custom)
        first.append(time.perf_counter() - started)
        attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
        for position, question in sorted(frozen(app, attempt_id).items()):
            client.post(f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question))
        started = time.perf_counter()
        client.post(f"/attempts/{attempt_id}/finish")
        finish_lti.append(time.perf_counter() - started)
        started = time.perf_counter()
        lms.launch(client, subject=f"s{n}", name=f"Learner {n}", custom=custom)
        again.append(time.perf_counter() - started)
        # The same work on an assignment no LMS knows.
        with app.app_context():
            create_user(f"plain{n}", PASSWORD)
            classes.join_class(find_user(f"plain{n}"), code)
            db.session.commit()
        plain_client = log_in(app.test_client(), f"plain{n}")
        response = plain_client.post(f"/assignments/{plain_id}/start")
        attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
        for position, question in sorted(frozen(app, attempt_id).items()):
            plain_client.post(
                f"/attempts/{attempt_id}/q/{position}", data=right_answer_form(question)
            )
        started = time.perf_counter()
        plain_client.post(f"/attempts/{attempt_id}/finish")
        finish_plain.append(time.perf_counter() - started)
    assert len(lms.scores) == args.learners, lms.scores
    print(f"learners: {args.learners}; grades received by the platform: {len(lms.scores)}")
    print(f"first launch (new account, join, start):  {_ms(first):7.1f} ms")
    print(f"returning launch (resume):                {_ms(again):7.1f} ms")
    print(f"finish, LMS assignment (grade sent):      {_ms(finish_lti):7.1f} ms")
    print(f"finish, plain assignment:                 {_ms(finish_plain):7.1f} ms")
    print(f"ratio finish LMS / plain:                 {_ms(finish_lti) / _ms(finish_plain):7.2f}")
    print(f"ratio first launch / returning launch:    {_ms(first) / _ms(again):7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
