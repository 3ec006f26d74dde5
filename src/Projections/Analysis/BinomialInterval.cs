namespace Timeline.Projections.Analysis;

/// <summary>
/// A proportion with its exact (Clopper–Pearson) confidence interval, as R's
/// <c>binom.test(x, n, conf.level = level)</c> reports <c>estimate</c> and <c>conf.int</c>.
/// </summary>
/// <param name="Successes">x, e.g. responders.</param>
/// <param name="N">n, e.g. evaluable patients.</param>
/// <param name="Proportion">x / n.</param>
/// <param name="Lower">Lower limit; exactly 0 when x = 0.</param>
/// <param name="Upper">Upper limit; exactly 1 when x = n.</param>
/// <param name="Level">The two-sided confidence level.</param>
public sealed record BinomialInterval(int Successes, int N, double Proportion, double Lower, double Upper, double Level);
