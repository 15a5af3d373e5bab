/*
** nolibc_exec.c: `nolibc_exec PROG ARG...` execs PROG in place without any
** C library start-up (x86-64 Linux only; bench/run builds it there). Beside
** floor.c's `floor exec`, it separates the cost of one more exec from the
** cost of glibc's start-up. A measuring stick, not sbxc code.
*/
static long sys3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "a"(n), "D"(a), "S"(b), "d"(c)
	                 : "rcx", "r11", "memory");
	return r;
}

/* called by _start with the initial stack: argc, argv..., NULL, envp... */
__attribute__((used)) void nolibc_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	if (argc >= 2)
		sys3(59 /* execve */, (long)argv[1], (long)(argv + 1), (long)envp);
	sys3(231 /* exit_group */, 127, 0, 0);
}

__asm__(".globl _start\n"
        "_start:\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call nolibc_main\n"
        "  hlt\n");
