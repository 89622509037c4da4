"""wrk, the HTTP load generator, as the service load bench drives it: a Lua script that
asks for random feeds the way a subscribed calendar app does (conditional, gzip or
plain), started for a fixed time, and its report parsed."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS, THREADS = 32, 2
MODES = {  # wrk request kinds: what a subscribed calendar app sends
    "304": "GET If-None-Match (304)",
    "gzip": "GET, Accept-Encoding: gzip (200)",
    "identity": "GET, uncompressed (200)",
}
WRK_SCRIPT = """
local feeds, mode, pause = {}, "304", 0
function init(args)
  mode, pause = args[2], tonumber(args[3])
  for line in io.lines(args[1]) do
    local path, etag = line:match("^(%S+) (.+)$")
    feeds[#feeds + 1] = {path, etag}
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function request()
  local feed = feeds[math.random(#feeds)]
  local headers = {}
  if mode == "304" then headers["If-None-Match"] = feed[2] end
  if mode ~= "identity" then headers["Accept-Encoding"] = "gzip" end
  return wrk.format("GET", feed[1], headers)
end
function delay()
  return pause
end
"""


@dataclass(frozen=True)
class WrkResult:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def run_wrk(base_url: str, script: Path, feeds: Path, mode: str, seconds: float) -> WrkResult:
    """wrk for `seconds`, each request for a random feed of the file `feeds` (lines of
    path and ETag, read by `script`: WRK_SCRIPT), as fast as it goes."""
    return parse_wrk(start_wrk(base_url, script, feeds, mode, seconds).communicate()[0])


def start_wrk(
    base_url: str, script: Path, feeds: Path, mode: str, seconds: float, delay_ms: int = 0
) -> subprocess.Popen[str]:
    """wrk started, `delay_ms` between each connection's requests; its output is read
    from the process's stdout with `parse_wrk` when it ends."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "-s",
               str(script), base_url, "--", str(feeds), mode, str(delay_ms)]  # fmt: skip
    if delay_ms:  # a steady background load stands for clients elsewhere: it yields the CPU
        command = ["nice", "-n", "10", *command]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def parse_wrk(output: str) -> WrkResult:
    def number(pattern: str) -> float:
        match = re.search(pattern, output)
        if match is None:
            raise RuntimeError(f"wrk said:\n{output}")
        value, unit = float(match.group(1)), match.group(2) if match.lastindex == 2 else ""
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "": 1.0}[unit]

    # Answers other than 2xx/3xx, and requests that timed out (wrk: after 2 s).
    errors = sum(
        int(match.group(1))
        for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: .*timeout (\d+)")
        if (match := re.search(pattern, output))
    )
    return WrkResult(
        rate=number(r"Requests/sec:\s+([\d.]+)()"),
        p50_ms=number(r"50%\s+([\d.]+)(us|ms|s)"),
        p99_ms=number(r"99%\s+([\d.]+)(us|ms|s)"),
        errors=errors,
    )
