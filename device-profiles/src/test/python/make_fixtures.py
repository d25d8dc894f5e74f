#!/usr/bin/env python3
"""Writes the probe fixtures under src/test/resources/fixtures/<class>/ as small file-system
trees (proc/cpuinfo, proc/meminfo, and where the class has them proc/device-tree/model,
proc/sys/kernel/arch, etc/nv_tegra_release, proc/driver/nvidia/..., sys/class/dmi/id/product_name).

The cpuinfo texts follow the kernel's formats per architecture, with the feature flags the
vendors document for each CPU (Arm TRMs for the part ids, Raspberry Pi and NVIDIA kernels for
the extra lines, Intel ARK / AWS instance docs for the x86 models). The generated files are
committed; tests never run this script. Re-run: python3 src/test/python/make_fixtures.py
(from the device-profiles folder). The amd-epyc-zen3-vm fixture is a copy of a real VM's
/proc/cpuinfo (the build machine) and is not regenerated here.
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures"


def write(cls, rel, text, binary=False):
    path = ROOT / cls / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if binary:
        path.write_bytes(text)
    else:
        path.write_text(text)


def meminfo(total_kb):
    free = total_kb * 9 // 10
    return (f"MemTotal:       {total_kb:>8} kB\n"
            f"MemFree:        {free:>8} kB\n"
            f"MemAvailable:   {free:>8} kB\n"
            "Buffers:           41236 kB\n"
            "Cached:           512344 kB\n"
            "SwapCached:            0 kB\n")


def arm_cpuinfo(n, bogomips, features, variant, part, revision, tail=""):
    blocks = []
    for i in range(n):
        blocks.append(f"processor\t: {i}\n"
                      f"BogoMIPS\t: {bogomips}\n"
                      f"Features\t: {features}\n"
                      "CPU implementer\t: 0x41\n"
                      "CPU architecture: 8\n"
                      f"CPU variant\t: {variant}\n"
                      f"CPU part\t: {part}\n"
                      f"CPU revision\t: {revision}\n")
    return "\n".join(blocks) + ("\n" + tail if tail else "")


def x86_cpuinfo(n, vendor, family, model, stepping, name, mhz, cache, flags, cores_per_socket):
    blocks = []
    for i in range(n):
        blocks.append(f"processor\t: {i}\n"
                      f"vendor_id\t: {vendor}\n"
                      f"cpu family\t: {family}\n"
                      f"model\t\t: {model}\n"
                      f"model name\t: {name}\n"
                      f"stepping\t: {stepping}\n"
                      f"cpu MHz\t\t: {mhz}\n"
                      f"cache size\t: {cache}\n"
                      "physical id\t: 0\n"
                      f"siblings\t: {n}\n"
                      f"core id\t\t: {i % cores_per_socket}\n"
                      f"cpu cores\t: {cores_per_socket}\n"
                      "fpu\t\t: yes\n"
                      "fpu_exception\t: yes\n"
                      "cpuid level\t: 27\n"
                      "wp\t\t: yes\n"
                      f"flags\t\t: {flags}\n"
                      "clflush size\t: 64\n"
                      "cache_alignment\t: 64\n"
                      "address sizes\t: 46 bits physical, 48 bits virtual\n"
                      "power management:\n")
    return "\n".join(blocks) + "\n"


# Raspberry Pi 4 Model B, 4 GB: BCM2711, 4x Cortex-A72 (part 0xd08, r0p3), ARMv8.0 features only.
write("rpi4", "proc/cpuinfo", arm_cpuinfo(
    4, "108.00", "fp asimd evtstrm crc32 cpuid", "0x0", "0xd08", "3",
    "Hardware\t: BCM2835\nRevision\t: c03114\nSerial\t\t: 100000002f6e5e1a\n"
    "Model\t\t: Raspberry Pi 4 Model B Rev 1.4\n"))
write("rpi4", "proc/meminfo", meminfo(3882752))
write("rpi4", "proc/device-tree/model", b"Raspberry Pi 4 Model B Rev 1.4\0", binary=True)
write("rpi4", "proc/sys/kernel/arch", "aarch64\n")

# Raspberry Pi 5, 8 GB: BCM2712, 4x Cortex-A76 (part 0xd0b, r4p1), ARMv8.2 with dot product.
PI5_FEATURES = ("fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm "
                "lrcpc dcpop asimddp")
write("rpi5", "proc/cpuinfo", arm_cpuinfo(
    4, "108.00", PI5_FEATURES, "0x4", "0xd0b", "1",
    "Revision\t: d04170\nSerial\t\t: 6b71acd964ee2481\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n"))
write("rpi5", "proc/meminfo", meminfo(8245840))
write("rpi5", "proc/device-tree/model", b"Raspberry Pi 5 Model B Rev 1.0\0", binary=True)
write("rpi5", "proc/sys/kernel/arch", "aarch64\n")

# The same Pi 5 seen from a container on a mainline kernel: no device tree, no "Model" line,
# no kernel arch file. Only the Cortex-A76 part id says which board it is.
write("rpi5-no-board", "proc/cpuinfo", arm_cpuinfo(4, "108.00", PI5_FEATURES, "0x4", "0xd0b", "1"))
write("rpi5-no-board", "proc/meminfo", meminfo(4028224))

# NVIDIA Jetson Orin Nano 8 GB developer kit, JetPack 6 (L4T R36): 6x Cortex-A78AE (0xd42, r0p1).
write("jetson-orin-nano", "proc/cpuinfo", arm_cpuinfo(
    6, "62.50", PI5_FEATURES + " uscat ilrcpc flagm paca pacg", "0x1", "0xd42", "1"))
write("jetson-orin-nano", "proc/meminfo", meminfo(7802212))
write("jetson-orin-nano", "proc/device-tree/model", b"NVIDIA Jetson Orin Nano Developer Kit\0", binary=True)
write("jetson-orin-nano", "proc/sys/kernel/arch", "aarch64\n")
write("jetson-orin-nano", "etc/nv_tegra_release",
      "# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64, "
      "DATE: Wed Jan  8 01:49:37 UTC 2025\n# KERNEL_VARIANT: oot\n"
      "TARGET_USERSPACE_LIB_DIR=nvidia\nTARGET_USERSPACE_LIB_DIR_PATH=usr/lib/aarch64-linux-gnu/nvidia\n")

# x86-64 gateway: Intel Core i5-8365UE (Whiskey Lake, family 6 model 142 stepping 12),
# 4 cores / 8 threads, AVX2 + FMA, no AVX-512.
WHL_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi "
             "mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon "
             "pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor "
             "ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt "
             "tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb "
             "invpcid_single ssbd ibrs ibpb stibp ibrs_enhanced tpr_shadow vnmi flexpriority ept vpid "
             "ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid mpx rdseed adx smap clflushopt "
             "intel_pt xsaveopt xsavec xgetbv1 xsaves dtherm ida arat pln pts hwp hwp_notify "
             "hwp_act_window hwp_epp md_clear flush_l1d arch_capabilities")
write("x86-avx2-gateway", "proc/cpuinfo", x86_cpuinfo(
    8, "GenuineIntel", 6, 142, 12, "Intel(R) Core(TM) i5-8365UE CPU @ 1.60GHz", "1600.000", "6144 KB",
    WHL_FLAGS, 4))
write("x86-avx2-gateway", "proc/meminfo", meminfo(16226744))
write("x86-avx2-gateway", "proc/sys/kernel/arch", "x86_64\n")

# x86-64 server: AWS m6i.4xlarge, Intel Xeon Platinum 8375C (Ice Lake-SP, family 6 model 106
# stepping 6), 16 vCPUs, 64 GiB, AVX-512 with VNNI.
ICX_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr "
             "sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology "
             "nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 "
             "sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm "
             "abm 3dnowprefetch invpcid_single ssbd ibrs ibpb stibp ibrs_enhanced fsgsbase tsc_adjust "
             "bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt "
             "clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves wbnoinvd ida arat "
             "avx512vbmi pku ospke avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme "
             "avx512_vpopcntdq rdpid md_clear flush_l1d arch_capabilities")
write("x86-avx512-vnni-server", "proc/cpuinfo", x86_cpuinfo(
    16, "GenuineIntel", 6, 106, 6, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "2899.968",
    "55296 KB", ICX_FLAGS, 8))
write("x86-avx512-vnni-server", "proc/meminfo", meminfo(65021076))
write("x86-avx512-vnni-server", "proc/sys/kernel/arch", "x86_64\n")
write("x86-avx512-vnni-server", "sys/class/dmi/id/product_name", "m6i.4xlarge\n")

# AWS g4dn.xlarge: Xeon Platinum 8259CL (Cascade Lake, AVX-512 VNNI), 4 vCPUs, 16 GiB, one
# NVIDIA T4 seen through the driver's /proc files (no nvidia-smi in a fixture).
CLX_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr "
             "sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology "
             "nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 "
             "sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm "
             "abm 3dnowprefetch invpcid_single pti fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid "
             "mpx avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl xsaveopt "
             "xsavec xgetbv1 xsaves ida arat pku ospke avx512_vnni")
write("aws-g4dn-t4", "proc/cpuinfo", x86_cpuinfo(
    4, "GenuineIntel", 6, 85, 7, "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", "2499.998",
    "36608 KB", CLX_FLAGS, 2))
write("aws-g4dn-t4", "proc/meminfo", meminfo(16167540))
write("aws-g4dn-t4", "proc/sys/kernel/arch", "x86_64\n")
write("aws-g4dn-t4", "proc/driver/nvidia/version",
      "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.127.05  Tue Oct  8 03:22:07 UTC 2024\n"
      "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n")
write("aws-g4dn-t4", "proc/driver/nvidia/gpus/0000:00:1e.0/information",
      "Model: \t\t Tesla T4\nIRQ:   \t\t 42\nGPU UUID: \t GPU-6f1b2a0c-9d1e-4c1f-8b3a-2f0e5d7c9a41\n"
      "Video BIOS: \t 90.04.96.00.02\nBus Type: \t PCIe\nDMA Size: \t 47 bits\n"
      "DMA Mask: \t 0x7fffffffffff\nBus Location: \t 0000:00:1e.0\nDevice Minor: \t 0\n"
      "GPU Excluded:\t No\n")
write("aws-g4dn-t4", "dev/nvidia0", "")

# Generic x86-64: Intel Atom E3845 (Bay Trail-I, family 6 model 55), 4 cores, SSE4.2, no AVX.
BYT_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi "
             "mmx fxsr sse sse2 ss ht tm pbe syscall nx rdtscp lm constant_tsc arch_perfmon pebs bts "
             "rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl "
             "vmx est tm2 ssse3 cx16 xtpr pdcm sse4_1 sse4_2 movbe popcnt tsc_deadline_timer rdrand "
             "lahf_lm 3dnowprefetch epb pti tpr_shadow vnmi flexpriority ept vpid tsc_adjust smep erms "
             "dtherm ida arat")
write("generic-x86_64", "proc/cpuinfo", x86_cpuinfo(
    4, "GenuineIntel", 6, 55, 8, "Intel(R) Atom(TM) CPU  E3845  @ 1.91GHz", "1916.666", "1024 KB",
    BYT_FLAGS, 4))
write("generic-x86_64", "proc/meminfo", meminfo(3938936))

# Generic arm64: AWS m6g.xlarge, Graviton2 = 4x Neoverse N1 (0xd0c, r3p1), 16 GiB. Has the dot
# product, but it is no Raspberry Pi or Jetson.
write("generic-aarch64", "proc/cpuinfo", arm_cpuinfo(
    4, "243.75", PI5_FEATURES + " ssbs", "0x3", "0xd0c", "1"))
write("generic-aarch64", "proc/meminfo", meminfo(16044416))
write("generic-aarch64", "proc/sys/kernel/arch", "aarch64\n")
write("generic-aarch64", "sys/class/dmi/id/product_name", "m6g.xlarge\n")

# Generic RISC-V: StarFive VisionFive 2 (JH7110, 4x SiFive U74-MC), 8 GB; no arch file, so the
# probe must infer riscv64 from the "isa" line.
write("generic-riscv64", "proc/cpuinfo", "\n".join(
    f"processor\t: {i}\nhart\t\t: {i + 1}\nisa\t\t: rv64imafdc_zicntr_zicsr_zifencei_zihpm_zba_zbb\n"
    "mmu\t\t: sv39\nuarch\t\t: sifive,u74-mc\nmvendorid\t: 0x489\nmarchid\t\t: 0x8000000000000007\n"
    "mimpid\t\t: 0x4210427\n" for i in range(4)) + "\n")
write("generic-riscv64", "proc/meminfo", meminfo(8039912))
write("generic-riscv64", "proc/device-tree/model", b"StarFive VisionFive 2 v1.3B\0", binary=True)

print("fixtures written under", ROOT)
