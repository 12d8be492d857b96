#!/usr/bin/env bash
# Single-node Slurm "cluster" for CI / local testing of datatrove's SlurmPipelineExecutor.
#
# Idempotent. Run as root on a Debian bookworm machine/container WITHOUT systemd:
#   sudo bash .ci/slurm/setup.sh            # install + configure + start + self-test
#   SKIP_TESTS=1 bash .ci/slurm/setup.sh    # skip the sbatch self-test
#   FORCE_RESTART=1 bash .ci/slurm/setup.sh # restart daemons even if config unchanged
#
# Steps: apt-get install slurm-wlm munge -> munge key + munged -> /etc/slurm/slurm.conf
#        -> slurmctld + slurmd -> wait for node idle -> sbatch / array / dependency test.
# Exits non-zero with a "FATAL:" message (plus the relevant daemon log tail) on failure.
set -euo pipefail

CLUSTER_NAME="${CLUSTER_NAME:-kocorpus}"
PARTITION="${PARTITION:-cpu}"
NODE="$(hostname -s)"
SLURM_CONF_DIR=/etc/slurm
SLURM_CONF="$SLURM_CONF_DIR/slurm.conf"
LOG_DIR=/var/log/slurm
CTLD_LOG="$LOG_DIR/slurmctld.log"
SLURMD_LOG="$LOG_DIR/slurmd.log"
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_KEY=/etc/munge/munge.key
READY_TIMEOUT="${READY_TIMEOUT:-60}"
JOB_TIMEOUT="${JOB_TIMEOUT:-90}"

T0=$(date +%s)
log()  { printf '[slurm-setup %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
tail_log() { [[ -f "$1" ]] && { echo "---- last lines of $1 ----" >&2; tail -n "${2:-20}" "$1" >&2; echo "----" >&2; }; return 0; }
die() {
    echo "FATAL: $*" >&2
    local f
    for f in "${DIE_LOGS[@]:-}"; do [[ -n "$f" ]] && tail_log "$f"; done
    exit 1
}
DIE_LOGS=()

[[ $(id -u) -eq 0 ]] || die "must run as root (needs apt-get, writes /etc/slurm, starts daemons)"

# pid of a daemon if its pidfile points at a live process with the expected name
live_pid() {  # $1=pidfile $2=comm
    local pid
    [[ -f "$1" ]] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ -n "$pid" && -d /proc/$pid ]] || return 1
    [[ "$(cat /proc/"$pid"/comm 2>/dev/null)" == "$2" ]] || return 1
    echo "$pid"
}

stop_daemon() {  # $1=pidfile $2=comm ; stops only the pid recorded in the pidfile
    local pid i
    pid=$(live_pid "$1" "$2") || return 0
    log "stopping $2 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 30); do [[ -d /proc/$pid ]] || return 0; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# 1. install packages
# ---------------------------------------------------------------------------
T_INSTALL=$(date +%s)
if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null \
   || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurm-wlm + munge via apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # keep postinst scripts from trying to start services (no init system here)
    POLICY_CREATED=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; POLICY_CREATED=1
    fi
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold \
        slurm-wlm munge >/tmp/slurm-apt.log 2>&1 \
        || { tail -n 30 /tmp/slurm-apt.log >&2; die "apt-get install slurm-wlm munge failed (see /tmp/slurm-apt.log)"; }
    [[ $POLICY_CREATED -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    log "installed $(dpkg-query -W -f='${Package} ${Version}' slurmctld) in $(( $(date +%s) - T_INSTALL ))s"
else
    log "slurm already installed ($(sinfo --version 2>/dev/null || echo '?'))"
fi
INSTALL_S=$(( $(date +%s) - T_INSTALL ))

# ---------------------------------------------------------------------------
# 2. munge
# ---------------------------------------------------------------------------
T_START=$(date +%s)
id munge >/dev/null 2>&1 || die "user 'munge' missing although munge is installed"
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [[ ! -s "$MUNGE_KEY" ]]; then
    log "creating munge key $MUNGE_KEY"
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile="$MUNGE_KEY" --force
    else
        dd if=/dev/urandom bs=1 count=1024 of="$MUNGE_KEY" status=none
    fi
fi
chown munge:munge "$MUNGE_KEY"; chmod 0400 "$MUNGE_KEY"

MUNGE_PIDFILE=/run/munge/munged.pid
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already running"
else
    # stale socket/pidfile from a previous run would make munged refuse to start
    if ! live_pid "$MUNGE_PIDFILE" munged >/dev/null; then rm -f /run/munge/munge.socket.2* "$MUNGE_PIDFILE"; fi
    log "starting munged"
    runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PIDFILE" \
        || { DIE_LOGS=(/var/log/munge/munged.log); die "munged failed to start"; }
    for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
    munge -n | unmunge >/dev/null 2>&1 \
        || { DIE_LOGS=(/var/log/munge/munged.log); die "munged is not answering (munge -n | unmunge fails)"; }
fi

# ---------------------------------------------------------------------------
# 3. slurm.conf for this machine
# ---------------------------------------------------------------------------
NCPU=$(nproc)
MEM_MB=$(( $(awk '/^MemTotal:/{print $2}' /proc/meminfo) / 1024 ))
# headroom for OS + daemons: 10%, at least 512 MB
HEADROOM=$(( MEM_MB / 10 )); (( HEADROOM < 512 )) && HEADROOM=512
REAL_MEM=$(( MEM_MB - HEADROOM )); (( REAL_MEM < 512 )) && REAL_MEM=512
# single node: only fall back to 127.0.0.1 if the short hostname does not resolve
if getent hosts "$NODE" >/dev/null; then CTL_HOST="$NODE"; NODE_ADDR=""; else
    CTL_HOST="$NODE(127.0.0.1)"; NODE_ADDR=" NodeAddr=127.0.0.1"; fi

install -d -m 0755 "$SLURM_CONF_DIR" "$LOG_DIR" /var/spool/slurmctld /var/spool/slurmd
NEW_CONF=$(mktemp)
cat > "$NEW_CONF" <<EOF
# Generated by .ci/slurm/setup.sh -- single-node CI cluster, no systemd / cgroups / accounting.
ClusterName=$CLUSTER_NAME
SlurmctldHost=$CTL_HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
# Debian default MailProg (/bin/mail) is not installed; avoid the startup error
MailProg=/bin/true
# no cgroups (no systemd / cgroup delegation in the container)
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no slurmdbd: QOS is not enforced; --qos=normal is accepted and ignored
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# CR_CPU_Memory: schedule on logical CPUs (no whole-core rounding on SMT machines), memory consumable
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=512
ReturnToService=2
MaxArraySize=10001
MinJobAge=600
# cancel jobs whose afterok dependency failed instead of leaving them pending forever
DependencyParameters=kill_invalid_depend
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
SlurmctldDebug=info
SlurmdDebug=info
SlurmctldTimeout=60
SlurmdTimeout=60
InactiveLimit=0
KillWait=30
Waittime=0
NodeName=$NODE$NODE_ADDR CPUs=$NCPU RealMemory=$REAL_MEM State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
CONF_CHANGED=0
if ! cmp -s "$NEW_CONF" "$SLURM_CONF"; then
    [[ -f "$SLURM_CONF" ]] && cp "$SLURM_CONF" "$SLURM_CONF.bak.$(date +%s)"
    install -m 0644 "$NEW_CONF" "$SLURM_CONF"; CONF_CHANGED=1
    log "wrote $SLURM_CONF (NodeName=$NODE CPUs=$NCPU RealMemory=$REAL_MEM)"
else
    log "$SLURM_CONF unchanged"
fi
rm -f "$NEW_CONF"

# ---------------------------------------------------------------------------
# 4. daemons
# ---------------------------------------------------------------------------
if [[ $CONF_CHANGED -eq 1 || -n "${FORCE_RESTART:-}" ]]; then
    stop_daemon "$SLURMD_PID" slurmd
    stop_daemon "$CTLD_PID" slurmctld
fi

if live_pid "$CTLD_PID" slurmctld >/dev/null; then
    log "slurmctld already running (pid $(live_pid "$CTLD_PID" slurmctld))"
else
    log "starting slurmctld"
    DIE_LOGS=("$CTLD_LOG")
    /usr/sbin/slurmctld -i || die "slurmctld exited with status $? at startup"
fi
for _ in $(seq 1 40); do scontrol ping 2>/dev/null | grep -q 'UP' && break; sleep 0.5; done
DIE_LOGS=("$CTLD_LOG")
scontrol ping 2>/dev/null | grep -q 'UP' || die "slurmctld not responding to 'scontrol ping' after 20s"

if live_pid "$SLURMD_PID" slurmd >/dev/null; then
    log "slurmd already running (pid $(live_pid "$SLURMD_PID" slurmd))"
else
    log "starting slurmd"
    DIE_LOGS=("$SLURMD_LOG")
    /usr/sbin/slurmd || die "slurmd exited with status $? at startup"
fi

log "waiting up to ${READY_TIMEOUT}s for node $NODE to become idle"
DIE_LOGS=("$SLURMD_LOG" "$CTLD_LOG")
deadline=$(( $(date +%s) + READY_TIMEOUT )); resumed=0; state=""
while :; do
    live_pid "$SLURMD_PID" slurmd >/dev/null || die "slurmd died"
    live_pid "$CTLD_PID" slurmctld >/dev/null || die "slurmctld died"
    state=$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -n1)
    case "$state" in
        idle|mixed|allocated|completing) break ;;
        down*|drain*|fail*)
            if [[ $resumed -lt 3 ]]; then
                reason=$(sinfo -h -N -n "$NODE" -o '%E' 2>/dev/null | head -n1)
                log "node is '$state' (reason: $reason) -> scontrol update state=resume"
                scontrol update nodename="$NODE" state=resume 2>/dev/null || true
                resumed=$((resumed + 1))
            fi ;;
    esac
    (( $(date +%s) >= deadline )) && die "node $NODE still '$state' after ${READY_TIMEOUT}s (reason: $(sinfo -h -N -n "$NODE" -o '%E' 2>/dev/null))"
    sleep 1
done
START_S=$(( $(date +%s) - T_START ))
log "node $NODE is $state; daemons up in ${START_S}s"
sinfo

# ---------------------------------------------------------------------------
# 5. self-test
# ---------------------------------------------------------------------------
job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' '; }
wait_jobs() {  # wait until none of the given job ids is in squeue, then require COMPLETED
    local deadline=$(( $(date +%s) + JOB_TIMEOUT )) id st
    while squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null | grep -q .; do
        (( $(date +%s) >= deadline )) && { squeue; die "jobs $* not finished after ${JOB_TIMEOUT}s: $(squeue -h -j "$(IFS=,; echo "$*")" -o '%i %T %r' | tr '\n' ';')"; }
        sleep 1
    done
    for id in "$@"; do
        st=$(job_state "$id")
        [[ "$st" == "COMPLETED " ]] || die "job $id ended in state '$st': $(scontrol -o show job "$id" 2>/dev/null | grep -o 'Reason=[^ ]*' | sort -u | tr '\n' ' ')"
    done
}

if [[ -z "${SKIP_TESTS:-}" ]]; then
    T_TEST=$(date +%s)
    TESTDIR=$(mktemp -d /tmp/slurm-selftest.XXXX); chmod 755 "$TESTDIR"
    DIE_LOGS=("$SLURMD_LOG" "$CTLD_LOG")
    out=$(sbatch --parsable --wrap 'hostname' --partition "$PARTITION" --qos normal \
          --time 00:05:00 --cpus-per-task 1 --mem-per-cpu 256M -o "$TESTDIR/x.out" 2>&1) \
        || die "sbatch rejected the test job: $out"
    j1=${out%%;*}
    log "test job $j1 submitted"
    wait_jobs "$j1"
    grep -qx "$NODE" "$TESTDIR/x.out" || die "test job output $TESTDIR/x.out does not contain '$NODE': $(cat "$TESTDIR/x.out" 2>&1)"
    log "test job $j1 COMPLETED"

    out=$(sbatch --parsable --array=0-1 --dependency="afterok:$j1" --partition "$PARTITION" --qos normal \
          --time 00:05:00 --requeue --cpus-per-task 1 --mem-per-cpu 256M -o "$TESTDIR/arr_%A_%a.out" \
          --wrap 'srun -l -n 1 bash -c "echo task \$SLURM_ARRAY_TASK_ID on \$(hostname)"' 2>&1) \
        || die "sbatch rejected the array/dependency job: $out"
    j2=${out%%;*}
    log "array job $j2 (afterok:$j1, srun inside) submitted"
    wait_jobs "$j2"
    for t in 0 1; do
        grep -q "task $t on $NODE" "$TESTDIR/arr_${j2}_$t.out" 2>/dev/null \
            || die "array task $t output missing/wrong: $(cat "$TESTDIR/arr_${j2}_$t.out" 2>&1)"
    done
    log "array job $j2 COMPLETED (2 tasks, srun ok)"
    rm -rf "$TESTDIR"
    TEST_S=$(( $(date +%s) - T_TEST ))
    log "self-test passed in ${TEST_S}s"
fi

log "OK: single-node slurm cluster '$CLUSTER_NAME' ready (partition=$PARTITION node=$NODE cpus=$NCPU mem=${REAL_MEM}M)." \
    "timings: install=${INSTALL_S}s start=${START_S}s test=${TEST_S:-skipped}s total=$(( $(date +%s) - T0 ))s"
