# plots2-sheet.awk - a realistic scorecard for the plot-size tests.
#
#   awk -v criteria=K -v raters=R -v calls=N [-v sessions=S] [-v seed=X] \
#       [-v prefix=TEXT] -f plots2-sheet.awk
#
# writes a wide sheet (session,call,rater,<K criteria>) to standard output:
# criterion names are the long behaviour descriptions QA scorecards carry
# ("summarised the customer's concern before proposing a fix"), cycling
# through yes/no, 1-5 and 0-10 points; call ids are long ticket numbers
# ("INC-2026-0412-00871"); rater names are first names after prefix. Every
# score is the call's quality plus a rater bias plus noise from a
# Park-Miller generator written out here (exact in doubles), so a seed
# writes the same sheet with every awk.
function clamp(x, lo, hi) { return x < lo ? lo : x > hi ? hi : x }
function uniform() { state = (state * 16807) % 2147483647; return state / 2147483647 }
function noise() { return (uniform() + uniform() + uniform() - 1.5) }
BEGIN {
	if (criteria == "") criteria = 5
	if (raters == "") raters = 5
	if (calls == "") calls = 12
	if (sessions == "") sessions = 1
	state = seed == "" ? 7 : seed
	for (k = 0; k < 20; k++)
		uniform()
	nb = split("summarised the customer's concern before proposing a fix|" \
	    "let the customer finish without interrupting|" \
	    "apologised specifically for what went wrong|" \
	    "named the impact on the customer|" \
	    "stated the resolution and next steps in plain language|" \
	    "lowered the pace when the customer escalated|" \
	    "used positive language throughout the call|" \
	    "closed the call with a structured summary|" \
	    "verified the customer's identity before discussing the account|" \
	    "offered a callback when the wait was long|" \
	    "checked the order history before answering|" \
	    "explained the charge line by line|" \
	    "avoided internal jargon and abbreviations|" \
	    "confirmed the customer understood the next step|" \
	    "asked an open question to find the real problem|" \
	    "acknowledged the customer's frustration|" \
	    "kept the customer informed during holds|" \
	    "placed the customer on hold for under two minutes|" \
	    "followed the refund policy exactly|" \
	    "documented the case notes completely|" \
	    "set a realistic expectation for the delivery date|" \
	    "offered the self-service option where it fits|" \
	    "escalated to a supervisor when required|" \
	    "used the customer's name at least twice|" \
	    "thanked the customer for their patience|" \
	    "read the mandatory disclosure word for word|" \
	    "did not promise what policy does not allow|" \
	    "matched the customer's tone and vocabulary|" \
	    "took ownership instead of blaming another team|" \
	    "searched the knowledge base before transferring|" \
	    "transferred with a warm handover|" \
	    "summarised the agreed actions at the end|" \
	    "offered further help before closing|" \
	    "recorded the correct disposition code|" \
	    "spoke at an even pace and volume|" \
	    "kept the silence under ten seconds|" \
	    "answered within the greeting script|" \
	    "identified the product and version correctly|" \
	    "gave accurate information about pricing|" \
	    "checked for other open cases on the account|" \
	    "tested the fix with the customer on the line|" \
	    "explained why the problem happened|" \
	    "protected the customer's personal data|" \
	    "offered compensation within the guidelines|" \
	    "logged the complaint in the complaints register|" \
	    "handled the objection without arguing|" \
	    "stayed on topic and kept the call efficient|" \
	    "showed empathy without overdoing it|" \
	    "verified the address before sending a replacement|" \
	    "ended the call politely and positively", name, "|")
	nr = split("ana ben chloe dev emma farid grace hiro ines jonas kemal lena " \
	    "marta nils olga pavel quinn rosa sami tara umar vera wim xenia yusuf " \
	    "zoe adele bruno carla dario", rname, " ")
	printf "session,call,rater"
	for (k = 1; k <= criteria; k++) {
		label = k <= nb ? name[k] : sprintf("criterion number %d of the scorecard", k)
		gsub(/"/, "\"\"", label)
		printf ",\"%s\"", label
	}
	printf "\n"
	for (r = 1; r <= raters; r++)
		bias[r] = (r == 2 ? 0.7 : r == raters && raters > 2 ? -0.8 : noise() * 0.2)
	for (s = 1; s <= sessions; s++)
		for (c = 1; c <= calls; c++) {
			id = sprintf("INC-2026-%02d%02d-%05d", 1 + (s + 2) % 12, 1 + (c * 7) % 28,
			    40000 + s * 1000 + c * 37)
			for (k = 1; k <= criteria; k++)
				q[k] = noise() * 1.4 + 0.3
			for (r = 1; r <= raters && r <= nr * 10; r++) {
				rn = r <= nr ? rname[r] : sprintf("%s%d", rname[(r - 1) % nr + 1], int((r - 1) / nr) + 1)
				printf "session-%02d,%s,%s%s", s, id, prefix, rn
				for (k = 1; k <= criteria; k++) {
					y = q[k] + bias[r] * (k % 3 == 1 ? 0.2 : 1) + noise() * (0.4 + 0.3 * (k % 4))
					if (k % 3 == 1)
						v = y > 0 ? "yes" : "no"
					else if (k % 3 == 2)
						v = clamp(int(3 + 1.1 * y + 0.5 + 10) - 10, 1, 5)
					else
						v = clamp(int(5 + 2.2 * y + 0.5 + 10) - 10, 0, 10)
					printf ",%s", v
				}
				printf "\n"
			}
		}
}
