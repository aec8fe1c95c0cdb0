"""Full-page screenshots of every page type: `make screenshots`.

Starts the app on a temporary database holding the founding bank (see tests/page_tour.py),
walks every page as a visitor, a learner and a teacher, in English and Spanish, and saves
each page at desktop width (1280 px) and phone width (375 px) into screenshots/ (ignored by
git), with the browser tests' Chromium and settings.

    .venv/bin/python docs/screenshots.py [--out screenshots] [--only student] [--language es]
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


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; print where they went and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    parser.add_argument("--only", choices=ROLES, action="append", help="only these roles")
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="only these")
    parser.add_argument("--page", action="append", help="only stops whose name holds this")
    parser.add_argument("--width", choices=tuple(WIDTHS), action="append", help="only these widths")
    args = parser.parse_args(argv)
    if not CHROMIUM:
        print("Debian's chromium is missing: run `make browser`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    began, taken = time.monotonic(), 0
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        site = prepare(app, Path(folder))
        with serve(app) as base, sync_playwright() as playwright:
            site.base = base
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for role in args.only or ROLES:
                context = browser.new_context(viewport=WIDTHS["desktop"], reduced_motion="reduce")
                page = context.new_page()
                if role in USERS:
                    log_in(page, site, USERS[role])
                for language in args.language or LANGUAGES:
                    set_language(site, language)
                    for stop in STOPS[role](page, site, language):
                        if args.page and not any(part in stop for part in args.page):
                            continue
                        for width_name in args.width or WIDTHS:
                            page.set_viewport_size(WIDTHS[width_name])
                            name = f"{role}-{stop}-{language}-{width_name}.png"
                            page.screenshot(path=str(out / name), full_page=True)
                            taken += 1
                        page.set_viewport_size(WIDTHS["desktop"])
                context.close()
            browser.close()
    print(f"{taken} screenshots in {out} ({time.monotonic() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
