// What one sleep and wake-up costs the sleeping thread on this machine (BENCHMARKS.md, "CPU per
// ack with another generator" > "Session 20"). A thread pinned to CPU 0 blocks in epoll_wait on
// one end of a socketpair; a thread on CPU 1 writes one byte every GAP microseconds (busy-waiting
// in between). The sleeper reads what arrived and blocks again; its own CPU time
// (CLOCK_THREAD_CPUTIME_ID) divided by the bytes received is the cost per wake-up, since it does
// nothing else. Usage: ./wake TIMEOUT_MS GAP_US [SPIN]  (TIMEOUT_MS -1: no timer armed)
#define _GNU_SOURCE
#include <sched.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>
#include <stdatomic.h>
static int sv[2]; static int timeout_ms; static int gap_us; static int N = 20000;
static double now_us(clockid_t c){struct timespec t; clock_gettime(c,&t); return t.tv_sec*1e6+t.tv_nsec/1e3;}
static void pin(int cpu){cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu,&s); pthread_setaffinity_np(pthread_self(),sizeof s,&s);}
static void *writer(void *a){ pin(1); char b='x';
  for(int i=0;i<N;i++){ double t0=now_us(CLOCK_MONOTONIC); while(now_us(CLOCK_MONOTONIC)-t0<gap_us); write(sv[1],&b,1);} return 0;}
int main(int argc,char**argv){ timeout_ms=atoi(argv[1]); gap_us=atoi(argv[2]); int spin=argc>3?atoi(argv[3]):0;
  socketpair(AF_UNIX,SOCK_STREAM,0,sv); pin(0);
  int ep=epoll_create1(0); struct epoll_event ev={.events=EPOLLIN,.data.fd=sv[0]}; epoll_ctl(ep,EPOLL_CTL_ADD,sv[0],&ev);
  pthread_t t; pthread_create(&t,0,writer,0);
  double c0=now_us(CLOCK_THREAD_CPUTIME_ID), w0=now_us(CLOCK_MONOTONIC); int got=0, sleeps=0; char buf[4096];
  while(got<N){ struct epoll_event out[8]; int n;
    if(spin){ n=epoll_wait(ep,out,8,0); if(n==0) continue; } else { n=epoll_wait(ep,out,8,timeout_ms); sleeps++; }
    int r=read(sv[0],buf,sizeof buf); if(r>0) got+=r; }
  double c1=now_us(CLOCK_THREAD_CPUTIME_ID), w1=now_us(CLOCK_MONOTONIC);
  printf("timeout=%d gap=%dus spin=%d: cpu per msg %.2f us, wall per msg %.2f us, epoll_waits %d\n",timeout_ms,gap_us,spin,(c1-c0)/N,(w1-w0)/N,sleeps);
  pthread_join(t,0); return 0;}
