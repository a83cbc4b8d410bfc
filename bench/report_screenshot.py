"""A screenshot of a batch's report.html in headless Chromium, to see what instructors see.

    .venv/bin/python bench/report_screenshot.py BATCH_OUT [SCREENSHOT.png]

Needs Debian's chromium. Prints the screenshot's path and size.
"""

import shutil
import subprocess
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip())
    report = Path(sys.argv[1]) / "report.html"
    shot = Path(sys.argv[2] if len(sys.argv) > 2 else "report.png").resolve()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not report.is_file() or not browser:
        sys.exit(f"report_screenshot: {'no ' + str(report) if not report.is_file() else 'no chromium installed'}")
    subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1280,3000", f"--screenshot={shot}", report.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    print(f"{shot}: {shot.stat().st_size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
