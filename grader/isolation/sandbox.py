"""Operating-system confinement of grading processes (Linux), with graceful fallback.

What the grading worker and its children get, when the kernel allows it (root, or an
unprivileged user namespace):

- a private mount namespace in which the kit, the worker's private copy of the kit, the
  Python installation and every submission folder are bind-mounted **read-only**, and a
  private tmpfs is the only temporary folder the worker uses;
- a private network namespace (no network for student code);
- per exercise, a private PID namespace: the check processes cannot see or signal the
  grader, the worker or another student's processes, and when the exercise ends the
  namespace's init is killed, which makes the kernel kill every process left in it
  (daemons, double forks, `setsid` escapes);
- in each check process: no capabilities, `no_new_privs`, not dumpable (its ancestors'
  memory and file descriptors cannot be read through /proc or ptrace).

Where namespaces are not available (a container without CAP_SYS_ADMIN, a kernel that
forbids user namespaces) every step here fails softly and grading falls back to the
portable defences: process groups, a child subreaper and a /proc sweep, resource limits,
the check process' audit hook (grader.isolation.guard) and the runner's hash checks of the
kit files. `Confinement.mode` says which is in force (`grade batch` reports it).
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import select
import signal
import time
from dataclasses import dataclass, field

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
ST_NOSUID, ST_NODEV, ST_NOEXEC, ST_NOATIME, ST_NODIRATIME, ST_RELATIME = 2, 4, 8, 1024, 2048, 4096

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

TMPFS_SIZE = "2g"

try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - not Linux
    _libc = None


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _prctl(option: int, arg: int) -> bool:
    if _libc is None:
        return False
    return _libc.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0


def unshare(flags: int) -> None:
    if _libc is None:
        raise OSError(errno.ENOSYS, "unshare: no libc")
    _check(_libc.unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    if _libc is None:
        raise OSError(errno.ENOSYS, "mount: no libc")
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def become_subreaper() -> None:
    """Orphans of our children (a submission's daemon, say) are re-parented to us, so a
    sweep of our descendants finds them."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent dies (a `grade` killed or its terminal closed
    leaves nothing behind); if `parent` is already gone, end now. (A parent outside this
    process's PID namespace reads as 0.)"""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() not in (parent, 0):
        os._exit(1)


def set_dumpable(flag: bool) -> None:
    """A non-dumpable process's memory and file descriptors cannot be read through /proc or
    ptrace by a process without CAP_SYS_PTRACE, even one of the same user."""
    _prctl(PR_SET_DUMPABLE, 1 if flag else 0)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_privileges() -> None:
    """No capabilities (root keeps its uid but loses CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_KILL,
    CAP_DAC_OVERRIDE, ...), and no way to regain them through a set-uid program."""
    if _libc is None:
        return
    for cap in range(64):
        if not _prctl(PR_CAPBSET_DROP, cap) and ctypes.get_errno() == errno.EINVAL:
            break
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _libc.capset(ctypes.byref(header), ctypes.byref(data))
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def limit_resources(memory_mb: int, cpu_s: float, fsize_mb: int) -> None:
    """Address space: what the frameworks already reserved plus the budget; CPU seconds;
    largest file a check may write (a flood of output included)."""
    if memory_mb > 0:
        limit = vm_size_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_s > 0:
        soft = int(cpu_s) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
    if fsize_mb > 0:
        size = fsize_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing


def vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# -- the worker's namespaces ------------------------------------------------------------
@dataclass
class Confinement:
    mode: str = "fallback"  # "namespaces" | "fallback"
    reason: str = ""
    readonly: list[str] = field(default_factory=list)
    network: bool = True  # whether the network is still reachable
    pid_namespaces: bool = False
    tmp: str = ""


def _readonly_flags(path: str) -> int:
    """Remount flags that keep the locked flags of the mount `path` lies on (required in a
    user namespace) and add read-only."""
    flags = MS_BIND | MS_REMOUNT | MS_RDONLY
    try:
        f = os.statvfs(path).f_flag
    except OSError:
        return flags
    for st, ms in ((ST_NOSUID, MS_NOSUID), (ST_NODEV, MS_NODEV), (ST_NOEXEC, MS_NOEXEC),
                   (ST_NOATIME, MS_NOATIME), (ST_NODIRATIME, MS_NODIRATIME), (ST_RELATIME, MS_RELATIME)):
        if f & st:
            flags |= ms
    return flags


def _outermost(paths: list[str]) -> list[str]:
    real = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)}, key=len)
    kept: list[str] = []
    for p in real:
        if not any(p == k or p.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(p)
    return kept


def confine_worker(protect: list[str], tmp: str) -> Confinement:
    """Enter private mount (and network) namespaces, make `protect` read-only and `tmp` a
    private tmpfs. Must run before any thread is started (user namespaces need a
    single-threaded process). Never raises: returns what could be done."""
    info = Confinement(tmp=tmp)
    uid, gid = os.geteuid(), os.getegid()
    try:
        if uid == 0:
            unshare(CLONE_NEWNS)
        else:
            unshare(CLONE_NEWUSER | CLONE_NEWNS)
            with open("/proc/self/setgroups", "w") as f:
                f.write("deny")
            with open("/proc/self/uid_map", "w") as f:
                f.write(f"{uid} {uid} 1")
            with open("/proc/self/gid_map", "w") as f:
                f.write(f"{gid} {gid} 1")
        mount(None, "/", None, MS_REC | MS_PRIVATE)
    except OSError as exc:
        info.reason = str(exc)
        return info
    try:
        mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"size={TMPFS_SIZE},mode=0700")
        for path in _outermost(protect):
            mount(path, path, None, MS_BIND | MS_REC)
            mount(None, path, None, _readonly_flags(path))
            info.readonly.append(path)
    except OSError as exc:  # half-done is worse than the fallback's guarantees: say so
        info.reason = str(exc)
        return info
    try:
        unshare(CLONE_NEWNET)
        info.network = False
    except OSError:
        pass
    info.mode = "namespaces"
    return info


# -- per exercise: a PID namespace and its init ---------------------------------------
class Reaper:
    """The init (PID 1) of an exercise's PID namespace, forked by the exercise process.

    Check processes forked afterwards by the exercise process land in the namespace (as
    PID 2, 3, ...). They cannot signal the exercise process, the worker or the runner
    (outside the namespace), nor kill this init (the kernel ignores signals to an init
    without handlers). Orphans are re-parented here and reaped. `sweep()` kills every
    process of the namespace but the init; `close()` ends the init, and with it the
    namespace and everything still in it."""

    def __init__(self) -> None:
        self.pid = 0
        cmd_r, cmd_w = os.pipe()
        ack_r, ack_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the init
            try:
                die_with_parent(parent)  # and with it the namespace, at once
                os.close(cmd_w)
                os.close(ack_r)
                self._serve(cmd_r, ack_w)
            finally:
                os._exit(0)
        os.close(cmd_r)
        os.close(ack_w)
        self.pid, self.cmd, self.ack = pid, cmd_w, ack_r

    @staticmethod
    def _serve(cmd: int, ack: int) -> None:
        import select

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        keep = {cmd, ack}
        try:
            fds = [int(fd) for fd in os.listdir("/proc/self/fd") if fd.isdigit()]
        except OSError:
            fds = []
        for fd in fds:
            if fd > 2 and fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        while True:
            ready, _, _ = select.select([cmd], [], [], 0.5)
            _reap_all()
            if ready:
                data = os.read(cmd, 1)
                if not data:
                    return
                _kill_all_in_namespace()
                os.write(ack, b"k")

    def sweep(self, timeout: float = 5.0) -> None:
        """Kill every process in the namespace except the init; wait until it says done."""
        import select

        try:
            os.write(self.cmd, b"s")
        except OSError:
            return
        ready, _, _ = select.select([self.ack], [], [], timeout)
        if ready:
            os.read(self.ack, 1)

    def close(self) -> None:
        for fd in (self.cmd, self.ack):
            try:
                os.close(fd)
            except OSError:
                pass
        wait_or_kill(self.pid, time.monotonic())


def _kill_all_in_namespace() -> None:
    for _ in range(200):  # a fork bomb may spawn while we kill: until nothing is left
        try:
            os.kill(-1, signal.SIGKILL)  # from a namespace's init: every process in it but us
        except ProcessLookupError:
            pass
        _reap_all()
        try:
            os.kill(-1, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def enter_pid_namespace() -> Reaper | None:
    """From the exercise process: put the children it forks from now on in a new PID
    namespace, whose init is a `Reaper`. None where not permitted."""
    try:
        unshare(CLONE_NEWPID)
    except OSError:
        return None
    try:
        return Reaper()
    except OSError:
        return None


# -- fallback: sweeping descendants through /proc ---------------------------------------
def _parent_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    return children


def descendants(*roots: int, exclude: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Every live descendant of the given pids (as the host's /proc sees them), except
    the `exclude`d processes and their own descendants."""
    children = _parent_map()
    found: list[int] = []
    stack = list(roots)
    seen = set(roots) | set(exclude)
    while stack:
        for kid in children.get(stack.pop(), ()):
            if kid not in seen:
                seen.add(kid)
                found.append(kid)
                stack.append(kid)
    return found


def host_pid() -> int:
    """This process's pid as /proc sees it (differs from os.getpid() inside a PID namespace)."""
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return os.getpid()


def kill_descendants(pid: int | None = None, deadline_s: float = 5.0,
                     exclude: set[int] | frozenset[int] = frozenset()) -> None:
    """SIGKILL every live descendant of `pid` (default: this process) and reap them,
    sweeping again until none is left (a fork bomb spawns while we kill)."""
    root = host_pid() if pid is None else pid
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        found = descendants(root, exclude=exclude)
        if not found:
            return
        stop_then_kill(found)
        _await_exit(found, 0.005)
        _reap_all()


# -- ending a child: the one kill-and-wait of the grader ----------------------------------
def kill_group(pid: int) -> None:
    """SIGKILL `pid`'s process group (it leads one: every grader child calls setpgid) and
    `pid` itself, whether or not either is still there."""
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        try:
            kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def wait_or_kill(pid: int, deadline: float, *, poll_s: float = 0.002) -> tuple[int | None, bool]:
    """Wait for child `pid` until `deadline` (time.monotonic()); past it, kill its group and
    reap it. Returns its wait status (None if it was reaped elsewhere) and whether it was
    cut at the deadline. Woken the moment the child ends where the kernel has pidfds
    (Linux 5.3+); polled every `poll_s` elsewhere."""
    pidfd = _pidfd(pid)
    try:
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return None, False
            if done:
                return status, False
            left = deadline - time.monotonic()
            if left <= 0:
                kill_group(pid)
                try:
                    return os.waitpid(pid, 0)[1], True
                except ChildProcessError:
                    return None, True
            if pidfd is None:
                time.sleep(poll_s)
            else:
                select.select([pidfd], [], [], left)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _await_exit(pids: list[int], timeout: float) -> None:
    """Return once every one of `pids` has ended (woken at once by pidfds, Linux 5.3+), or
    after `timeout` (all of it where the kernel has no pidfds)."""
    fds: list[int] = []
    try:
        for pid in pids:
            try:
                fds.append(os.pidfd_open(pid))
            except ProcessLookupError:  # ended already
                continue
            except (AttributeError, OSError):  # no pidfds here
                time.sleep(timeout)
                return
        end = time.monotonic() + timeout
        while fds and (left := end - time.monotonic()) > 0:
            ready = set(select.select(fds, [], [], left)[0])
            for fd in ready:
                os.close(fd)
            fds = [fd for fd in fds if fd not in ready]
    finally:
        for fd in fds:
            os.close(fd)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfds here, or the child is gone already
        return None


def kill_tree(pid: int) -> list[int]:
    """SIGKILL `pid`'s descendants (each stopped first: a stopped process cannot fork) and
    then `pid` and its group: nothing of it keeps running, even where a dying parent's
    signal is slow to reach a namespace's init. Returns the descendants it found (a
    subreaper `reap`s those re-parented to it)."""
    tree = descendants(pid)
    stop_then_kill(tree)
    kill_group(pid)
    return tree


def stop_then_kill(pids: list[int]) -> None:
    """SIGSTOP every one of `pids` (a stopped process cannot fork), then SIGKILL them all."""
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in pids:
            if sig == signal.SIGSTOP and _is_namespace_init(pid):
                continue  # some kernels leave a stopped init stuck; it ends with its parent (Reaper)
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass


def reap(pids: list[int], deadline_s: float = 1.0) -> None:
    """Reap those of `pids` that end up our children (we are a subreaper): a namespace's
    init finishes exiting only once the namespace's zombies are reaped."""
    left = set(pids)
    end = time.monotonic() + deadline_s
    while left and time.monotonic() < end:
        for pid in list(left):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not (yet) ours, or gone
                done = pid if not os.path.exists(f"/proc/{pid}") else 0
            if done:
                left.discard(pid)
        if left:
            time.sleep(0.01)


def _is_namespace_init(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return line.split()[-1] == "1" and len(line.split()) > 2
    except OSError:
        pass
    return False


# -- memory per exercise: one cgroup holds all of an exercise's processes -----------------
CGROUP_ROOT = "/sys/fs/cgroup"


class MemoryGroup:
    """A memory cgroup for one exercise: the exercise process joins it before it forks
    its first check, so every check process of the exercise (and what they start) shares one
    budget that the kernel enforces — a memory bomb is killed when the exercise, not each
    process, reaches it. cgroup v2 where this process may create a child group with the
    memory controller, else v1; None where neither is writable (RLIMIT_AS per process
    still applies).

        group = MemoryGroup.create("grade-123-job", limit_mb=2048)   # in the worker
        group.expect_admission(); pid = os.fork(); group.admit(pid)  # the worker
        group.admitted()                                             # the exercise process
        ...; group.peak_mb(); group.close()                          # in the worker, after
    """

    def __init__(self, path: str, v2: bool) -> None:
        self.path, self.v2 = path, v2
        self._admission: tuple[int, int] | None = None  # (read end, write end): see `admit`

    @classmethod
    def create(cls, name: str, limit_mb: int) -> "MemoryGroup | None":
        for base, v2 in _memory_cgroup_bases():
            path = os.path.join(base, name)
            try:
                os.mkdir(path)
            except OSError:
                continue
            group = cls(path, v2)
            try:
                group._write("memory.max" if v2 else "memory.limit_in_bytes", str(limit_mb * 1024 * 1024))
                if not v2:
                    group._write("memory.memsw.limit_in_bytes", str(limit_mb * 1024 * 1024), quiet=True)
                return group
            except OSError:
                group.close()
        return None

    def _write(self, name: str, value: str, quiet: bool = False) -> None:
        try:
            with open(os.path.join(self.path, name), "w") as f:
                f.write(value)
        except OSError:
            if not quiet:
                raise

    def _read(self, name: str) -> str:
        try:
            with open(os.path.join(self.path, name)) as f:
                return f.read()
        except OSError:
            return ""

    def expect_admission(self) -> None:
        """Before forking the exercise process: the pipe on which `admit` will say it is in."""
        self._admission = os.pipe()

    def admit(self, pid: int) -> None:
        """In the worker, just after the fork: move the exercise process into the group. The
        kernel's move waits for an RCU grace period (~20 ms on cgroup v1); the exercise process
        starts pytest and collects meanwhile, and waits in `admitted` before its first fork."""
        read_end, write_end = self._admission
        self._admission = None
        os.close(read_end)
        try:
            try:
                self._write("cgroup.procs", str(pid))
                answer = b"1"
            except OSError:
                answer = b"0"
            os.write(write_end, answer)
        except OSError:  # the exercise process is gone already: nobody left to tell
            pass
        finally:
            os.close(write_end)

    def admitted(self) -> None:
        """In the exercise process, before it forks a check: wait until `admit` moved it in;
        OSError if it could not. Returns at once after the first call."""
        if self._admission is None:
            return
        read_end, write_end = self._admission
        self._admission = None
        os.close(write_end)
        answer = os.read(read_end, 1)
        os.close(read_end)
        if answer != b"1":
            raise OSError(f"could not join the memory group {self.path}")

    def limit_hits(self) -> int:
        """How often the group hit its limit or had a process killed for it (v1: failcnt and
        oom_control's oom_kill; v2: memory.events' max and oom_kill)."""
        name = "memory.events" if self.v2 else "memory.oom_control"
        counts = dict(line.split()[:2] for line in self._read(name).splitlines() if len(line.split()) == 2)
        hits = int(counts.get("oom_kill", 0)) + int(counts.get("max", 0))
        if not self.v2:
            hits += int(self._read("memory.failcnt").strip() or 0)
        return hits

    def peak_mb(self) -> float | None:
        """The most memory the group held at once (v2 needs a kernel with memory.peak)."""
        raw = self._read("memory.peak" if self.v2 else "memory.max_usage_in_bytes").strip()
        return round(int(raw) / 2**20, 1) if raw.isdigit() else None

    def close(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for _ in range(100):
            pids = [int(p) for p in self._read("cgroup.procs").split() if p.isdigit()]
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                os.rmdir(self.path)
                return
            except OSError:
                time.sleep(0.01)


def _memory_cgroup_bases() -> list[tuple[str, bool]]:
    """Where this process may create a memory cgroup: its own v2 group (when it delegates the
    memory controller to children) and its own v1 memory group."""
    bases: list[tuple[str, bool]] = []
    try:
        with open("/proc/self/cgroup") as f:
            lines = [line.rstrip("\n").split(":", 2) for line in f]
    except OSError:
        return bases
    for _, controllers, path in (p for p in lines if len(p) == 3):
        if controllers == "" and os.path.exists(os.path.join(CGROUP_ROOT, "cgroup.controllers")):
            base = os.path.join(CGROUP_ROOT, path.lstrip("/"))
            try:
                with open(os.path.join(base, "cgroup.subtree_control")) as f:
                    if "memory" in f.read().split() and os.access(base, os.W_OK):
                        bases.append((base, True))
            except OSError:
                pass
        elif "memory" in controllers.split(","):
            base = os.path.join(CGROUP_ROOT, "memory", path.lstrip("/"))
            if os.path.isdir(base) and os.access(base, os.W_OK):
                bases.append((base, False))
    return sorted(bases, key=lambda b: not b[1])  # v2 first
