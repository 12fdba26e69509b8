"""Checks shared by the CLI tests: what a rejected command must look like (docs/output.md, exit
codes: 2 for bad input, one `cdpsim: error:` line on stderr, nothing on stdout)."""


def one_error_line(proc) -> str:
    """The single error line of a rejected command (exit 2, nothing on stdout)."""
    assert proc.returncode == 2, (
        f"expected exit code 2, got {proc.returncode}\nstdout: {proc.stdout}\nstderr: "
        f"{proc.stderr}")
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got:\n{proc.stderr}"
    assert lines[0].startswith("cdpsim: error: "), lines[0]
    assert proc.stdout == "", f"nothing should be printed on stdout, got:\n{proc.stdout}"
    return lines[0]


def error_line(proc) -> str:
    """The single error line of a rejected command (exit 2); stdout is not checked."""
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cdpsim: error: "), lines[0]
    return lines[0]
