# The same fit in R (not run here: R is not installed on the machine that
# made audit_small.txt; that file comes from audit_small.py). The
# evaluator effects of lm with sum-to-zero contrasts are those of
# calib-audit's "adjusted" column:
#   d <- read.csv("tests/sheets/audit-small.csv")
#   for (crit in c("greeting", "resolution")) {
#     fit <- lm(d[[crit]] ~ factor(d$agent) + factor(d$evaluator),
#               contrasts = list("factor(d$evaluator)" = "contr.sum"))
#     e <- coef(fit)[grep("evaluator", names(coef(fit)))]
#     print(c(e, -sum(e)))   # eve, max, zoe
#   }
