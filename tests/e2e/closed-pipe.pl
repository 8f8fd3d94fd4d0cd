# closed-pipe.pl COMMAND ARG... - run COMMAND with standard output a pipe
# whose reading end is already closed (as after `| head` has quit), and
# SIGPIPE at its default action, as a shell starts programs.
pipe(my $r, my $w) or die "pipe: $!";
close $r;
$SIG{PIPE} = 'DEFAULT';
open(STDOUT, '>&', $w) or die "dup: $!";
exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!";
