"""Screenshots of every page type: `make screenshots`.

Starts the app on a temporary database holding the founding bank (see tests/page_tour.py),
walks every page as a visitor, a learner and a teacher, in English and Spanish, and saves each
page, full length, at desktop width (1280 px) and phone width (375 px) into screenshots/
(ignored by git), with the browser tests' Chromium and settings.

    .venv/bin/python docs/screenshots.py [--out DIR] [--only ROLE] [--language es] [--page NAME]
    .venv/bin/python docs/screenshots.py --readme    # the few pictures in README.md (docs/img/)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.page_tour import (  # noqa: E402
    LANGUAGES,
    ROLES,
    STOPS,
    USERS,
    log_in,
    make_app,
    prepare,
    serve,
    set_language,
)

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
# README pictures: (role, stop, language) -> (file name, viewport); the visible part only.
README_SHOTS = {
    ("student", "feedback-mcq", "en"): ("feedback.png", {"width": 1000, "height": 760}),
    ("student", "question-mcq", "es"): ("question-phone.png", {"width": 375, "height": 700}),
    ("student", "home", "en"): ("home.png", {"width": 1000, "height": 760}),
}


def _shoot_all(page, out: Path, name: str, widths: list[str]) -> int:
    """Full-page PNGs of the shown page at each width; how many were taken."""
    for width in widths:
        page.set_viewport_size(WIDTHS[width])
        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])
    return len(widths)


def _shoot_readme(page, out: Path, key: tuple[str, str, str]) -> int:
    """The README picture of this stop, if it has one."""
    if key not in README_SHOTS:
        return 0
    file_name, viewport = README_SHOTS[key]
    page.set_viewport_size(viewport)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(out / file_name))
    page.set_viewport_size(WIDTHS["desktop"])
    return 1


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; print where they went and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="folder for the PNGs (screenshots/, or docs/img/)")
    parser.add_argument("--only", choices=ROLES, action="append", help="only these roles")
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="only these")
    parser.add_argument("--page", action="append", help="only stops whose name holds this")
    parser.add_argument("--width", choices=tuple(WIDTHS), action="append", help="only these")
    parser.add_argument("--readme", action="store_true", help="only README.md's pictures")
    parser.add_argument("--dark", action="store_true", help="in the dark colour scheme")
    args = parser.parse_args(argv)
    if not CHROMIUM:
        print("Debian's chromium is missing: run `make browser`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = Path(args.out or (ROOT / "docs" / "img" if args.readme else ROOT / "screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    roles = args.only or (sorted({role for role, _s, _l in README_SHOTS}) if args.readme else ROLES)
    began, taken = time.monotonic(), 0
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        site = prepare(app, Path(folder))
        with serve(app) as base, sync_playwright() as playwright:
            site.base = base
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for role in roles:
                # As in the tests: no transitions, so every picture shows settled colours.
                context = browser.new_context(
                    viewport=WIDTHS["desktop"],
                    reduced_motion="reduce",
                    color_scheme="dark" if args.dark else "light",
                )
                page = context.new_page()
                if role in USERS:
                    log_in(page, site, USERS[role])
                for language in args.language or LANGUAGES:
                    set_language(site, language)
                    for stop in STOPS[role](page, site, language):
                        if args.readme:
                            taken += _shoot_readme(page, out, (role, stop, language))
                        elif not args.page or any(part in stop for part in args.page):
                            name = f"{role}-{stop}-{language}" + ("-dark" if args.dark else "")
                            taken += _shoot_all(page, out, name, args.width or list(WIDTHS))
                context.close()
            browser.close()
    print(f"{taken} screenshots in {out} ({time.monotonic() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
