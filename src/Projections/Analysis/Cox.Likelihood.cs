namespace Timeline.Projections.Analysis;

public static partial class Cox
{
    /// <summary>The rows in the arrays the sweep needs, covariates centred on their means (as R) for numerical range.</summary>
    internal sealed class Design
    {
        internal Design(IReadOnlyList<CoxObservation> data, int p)
        {
            N = data.Count;
            P = p;
            Start = new double[N];
            Stop = new double[N];
            Event = new bool[N];
            X = new double[N][];
            Means = new double[p];
            for (var i = 0; i < N; i++)
            {
                Start[i] = data[i].Start;
                Stop[i] = data[i].Stop;
                Event[i] = data[i].Event;
                for (var k = 0; k < p; k++) Means[k] += data[i].Covariates[k] / N;
            }

            for (var i = 0; i < N; i++)
            {
                X[i] = new double[p];
                for (var k = 0; k < p; k++) X[i][k] = data[i].Covariates[k] - Means[k];
            }

            ByStop = Sorted(Stop);
            ByStart = Sorted(Start);
        }

        internal int N { get; }
        internal int P { get; }
        internal double[] Start { get; }
        internal double[] Stop { get; }
        internal bool[] Event { get; }
        internal double[][] X { get; }
        internal double[] Means { get; }

        /// <summary>Row indices by decreasing stop time, events first within a time.</summary>
        internal int[] ByStop { get; }

        /// <summary>Row indices by decreasing start time.</summary>
        internal int[] ByStart { get; }

        static int[] Sorted(double[] keys)
        {
            var order = Enumerable.Range(0, keys.Length).ToArray();
            Array.Sort(order, (a, b) => keys[b].CompareTo(keys[a]));
            return order;
        }
    }

    /// <summary>Log partial likelihood, score vector and information matrix at one β.</summary>
    internal sealed record Evaluation(double LogLikelihood, double[] Score, double[,] Information)
    {
        /// <summary>With a time function g: the score of the extra covariates x·g(t) at θ = 0 (R's cox.zph).</summary>
        internal double[]? TimeScore { get; init; }

        /// <summary>The information between x and x·g(t).</summary>
        internal double[,]? Cross { get; init; }

        /// <summary>The information of x·g(t).</summary>
        internal double[,]? TimeInformation { get; init; }
    }

    /// <summary>
    /// One pass over the event times from the last back (R's <c>agfit4</c> order): rows join the risk set when
    /// t ≤ stop and leave it when start ≥ t, so every event time sees exactly the rows with start &lt; t ≤ stop.
    /// Tied events use Efron's d terms, with the tied events' share added 1/d at a time (R's order of sums).
    /// </summary>
    internal static Evaluation Evaluate(Design design, double[] beta, CoxTies ties, Func<double, double>? g = null)
    {
        var p = design.P;
        var risk = new double[design.N];
        for (var i = 0; i < design.N; i++)
        {
            double eta = 0;
            for (var k = 0; k < p; k++) eta += beta[k] * design.X[i][k];
            risk[i] = Math.Exp(eta);
        }

        double logLik = 0, s0 = 0;
        var score = new double[p];
        var information = new double[p, p];
        var s1 = new double[p];
        var s2 = new double[p, p];
        var d1 = new double[p];
        var d2 = new double[p, p];
        var timeScore = new double[p];
        var cross = new double[p, p];
        var timeInformation = new double[p, p];
        int nextStop = 0, nextStart = 0;
        while (nextStop < design.N)
        {
            var time = design.Stop[design.ByStop[nextStop]];
            // Rows with start >= time were at risk only later: they leave before this time's sums are used.
            for (; nextStart < design.N && design.Start[design.ByStart[nextStart]] >= time; nextStart++)
            {
                Add(design.ByStart[nextStart], -1);
            }

            int deaths = 0;
            double d0 = 0;
            Array.Clear(d1);
            Array.Clear(d2);
            for (; nextStop < design.N && design.Stop[design.ByStop[nextStop]] == time; nextStop++)
            {
                var i = design.ByStop[nextStop];
                if (design.Start[i] >= time)
                {
                    continue; // already removed; cannot happen for valid rows (start < stop)
                }

                Add(i, 1);
                if (!design.Event[i]) continue;
                deaths++;
                d0 += risk[i];
                logLik += Math.Log(risk[i]);
                for (var k = 0; k < p; k++)
                {
                    score[k] += design.X[i][k];
                    if (g is not null) timeScore[k] += g(time) * design.X[i][k];
                    d1[k] += risk[i] * design.X[i][k];
                    for (var l = 0; l < p; l++) d2[k, l] += risk[i] * design.X[i][k] * design.X[i][l];
                }
            }

            if (deaths == 0) continue;
            var efron = ties == CoxTies.Efron && deaths > 1;
            var terms = efron ? deaths : 1;
            for (var m = 0; m < terms; m++)
            {
                // Efron: the tied events count (m+1)/d in the m-th term's risk set, 1 in the last one.
                var share = efron ? (m + 1.0) / deaths : 1.0;
                var weight = efron ? 1.0 : deaths;
                var denom = s0 - d0 + (share * d0);
                logLik -= weight * Math.Log(denom);
                for (var k = 0; k < p; k++)
                {
                    var a = s1[k] - d1[k] + (share * d1[k]);
                    var mean = a / denom;
                    score[k] -= weight * mean;
                    var gt = g is null ? 0 : g(time);
                    timeScore[k] -= weight * gt * mean;
                    for (var l = 0; l < p; l++)
                    {
                        var al = s1[l] - d1[l] + (share * d1[l]);
                        var c = s2[k, l] - d2[k, l] + (share * d2[k, l]);
                        var term = weight * (c - (mean * al)) / denom;
                        information[k, l] += term;
                        cross[k, l] += gt * term;
                        timeInformation[k, l] += gt * gt * term;
                    }
                }
            }
        }

        return g is null
            ? new Evaluation(logLik, score, information)
            : new Evaluation(logLik, score, information) { TimeScore = timeScore, Cross = cross, TimeInformation = timeInformation };

        void Add(int i, int sign)
        {
            var r = sign * risk[i];
            s0 += r;
            for (var k = 0; k < p; k++)
            {
                s1[k] += r * design.X[i][k];
                for (var l = 0; l < p; l++) s2[k, l] += r * design.X[i][k] * design.X[i][l];
            }
        }
    }
}
