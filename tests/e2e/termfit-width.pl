#!/usr/bin/perl
# termfit-width.pl MAX - print every line of standard input (UTF-8) wider
# than MAX display columns, with its width; exit 1 when there is one.
# East Asian wide and fullwidth characters take two columns, combining
# marks none (Unicode's own tables, independent of calib's).
use strict;
use warnings;
binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';
my $max = shift @ARGV;
my $bad = 0;
while (my $line = <STDIN>) {
	chomp $line;
	$line =~ s/\r$//;
	my $w = 0;
	for my $ch (split //, $line) {
		$w += $ch =~ /[\p{Ea=W}\p{Ea=F}]/ ? 2 : $ch =~ /[\p{Mn}\p{Me}\p{Cf}]/ ? 0 : 1;
	}
	if ($w > $max) {
		print "$w: $line\n";
		$bad = 1;
	}
}
exit $bad;
