# auditchart-sheet.awk - routine evaluations for the calib-audit chart tests.
#
#   awk -v evaluators=E -v agents=A -v calls=N -f auditchart-sheet.awk
#
# writes call,agent,evaluator,greeting,resolution (scores 1-5) to standard
# output: each call goes, four times in five, to the evaluator of its
# agent's ability band, the harshest evaluators to the strongest agents
# (the confounded assignment calib-audit adjusts for). Evaluator names are
# first names with a number ("priya.07"). Noise comes from a Park-Miller
# generator written out here (exact in doubles), so every awk writes the
# same sheet.
function uniform() { state = (state * 16807) % 2147483647; return state / 2147483647 }
function score(m) { m += uniform() + uniform() - 1; m = int(m + 0.5); return m < 1 ? 1 : m > 5 ? 5 : m }
BEGIN {
	if (evaluators == "") evaluators = 10
	if (agents == "") agents = 40
	if (calls == "") calls = 400
	state = 11
	nf = split("priya,tomasz,amara,lucas,mei,oskar,fatima,jonas,ines,kwame", first, ",")
	print "call,agent,evaluator,greeting,resolution"
	for (i = 1; i <= calls; i++) {
		a = int(uniform() * agents)
		band = int(a * evaluators / agents)
		j = uniform() < 0.8 ? evaluators - 1 - band : int(uniform() * evaluators)
		m = 2 + 2 * a / agents + (j / (evaluators - 1 + (evaluators == 1)) - 0.5)
		printf "INC-%05d,agent-%03d,%s.%02d,%d,%d\n", i, a, first[j % nf + 1], j, score(m), score(m - 0.3)
	}
}
