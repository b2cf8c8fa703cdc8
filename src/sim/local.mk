# sim: podscope-sim's modules (libpodsim.a); src/sim/main.c is the program.
