//! Instructions retired by this thread (user space), from the kernel's performance counters: a
//! figure the other engineers' builds on this 2-core machine do not move, beside the wall clock.
//! `None` where the kernel refuses the counter (e.g. `perf_event_paranoid` > 2, or no PMU in a VM).
#![allow(unsafe_code)]

/// `struct perf_event_attr`, its first version (64 bytes: `PERF_ATTR_SIZE_VER0`).
#[repr(C)]
#[derive(Default)]
struct Attr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
}

const PERF_TYPE_HARDWARE: u32 = 0;
const PERF_COUNT_HW_INSTRUCTIONS: u64 = 1;
const EXCLUDE_KERNEL: u64 = 1 << 5;
const EXCLUDE_HV: u64 = 1 << 6;

pub struct Counter(libc::c_int);

impl Counter {
    /// Counts from now on, on the calling thread.
    pub fn open() -> Option<Counter> {
        let attr = Attr {
            kind: PERF_TYPE_HARDWARE,
            size: std::mem::size_of::<Attr>() as u32,
            config: PERF_COUNT_HW_INSTRUCTIONS,
            flags: EXCLUDE_KERNEL | EXCLUDE_HV,
            ..Attr::default()
        };
        // SAFETY: perf_event_open reads `attr` (a valid, fully initialised VER0 struct) and
        // returns a new descriptor or -1; pid 0 / cpu -1 is "this thread, any CPU".
        let fd = unsafe {
            libc::syscall(
                libc::SYS_perf_event_open,
                &attr as *const Attr,
                0 as libc::pid_t,
                -1 as libc::c_int,
                -1 as libc::c_int,
                0 as libc::c_ulong,
            )
        };
        (fd >= 0).then_some(Counter(fd as libc::c_int))
    }

    /// Instructions counted so far.
    pub fn read(&self) -> u64 {
        let mut n = 0u64;
        // SAFETY: reads at most 8 bytes into `n` from our own open descriptor.
        let got = unsafe { libc::read(self.0, &mut n as *mut u64 as *mut libc::c_void, 8) };
        if got == 8 {
            n
        } else {
            0
        }
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        // SAFETY: closes the descriptor this value owns, once.
        unsafe { libc::close(self.0) };
    }
}
