"""The execution options shared by `kocorpus run` and `kocorpus tokenize` (local, Ray, Slurm)."""

import argparse

from kocorpus.executors import ExecutorOptions


def add_arguments(p: argparse.ArgumentParser) -> None:
    e = p.add_argument_group("execution")
    e.add_argument("--executor", choices=["local", "ray", "slurm"], default="local")
    e.add_argument("--tasks", type=int, default=1, help="number of tasks; input files are split across them")
    e.add_argument("--workers", type=int, default=-1, help="tasks running at once (-1: all, capped at CPUs)")
    s = p.add_argument_group("slurm / ray")
    s.add_argument("--dry-run", action="store_true", help="slurm: write the sbatch scripts, do not submit")
    s.add_argument("--partition", default="cpu")
    s.add_argument("--time", default="04:00:00", help="slurm time limit per task")
    s.add_argument("--cpus-per-task", type=int, default=1)
    s.add_argument("--mem-per-cpu-gb", type=int, default=4)
    s.add_argument("--qos", default="normal")
    s.add_argument("--slurm-logs", help="directory of slurm's own logs (default OUT/logs/slurm_logs)")
    s.add_argument("--sbatch-arg", action="append", default=[], metavar="KEY=VALUE", help="extra sbatch option")
    s.add_argument("--ray-address", help="address of a running Ray cluster (default: start a local one)")


def options(args: argparse.Namespace) -> ExecutorOptions:
    return ExecutorOptions(
        kind=args.executor,
        tasks=args.tasks,
        workers=args.workers,
        dry_run=args.dry_run,
        partition=args.partition,
        time=args.time,
        cpus_per_task=args.cpus_per_task,
        mem_per_cpu_gb=args.mem_per_cpu_gb,
        qos=args.qos,
        slurm_logs=args.slurm_logs,
        sbatch_args=args.sbatch_arg,
        ray_address=args.ray_address,
    )
