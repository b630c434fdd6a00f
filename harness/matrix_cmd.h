/* netconform matrix RUN... [--out DIR]: the command line of
 * reports/matrix.c. */
#ifndef NC_MATRIX_CMD_H
#define NC_MATRIX_CMD_H

/* The whole command line, argv[1] "matrix"; returns the exit status. */
int nc_matrix_main(int argc, char **argv);

#endif
