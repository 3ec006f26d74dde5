namespace Timeline.Projections.Analysis;

/// <summary>
/// How a Cox fit treats several events at the same time (R's <c>coxph(ties = …)</c>; Therneau &amp;
/// Grambsch, <i>Modeling Survival Data</i>, Springer 2000, §3.3).
/// </summary>
public enum CoxTies
{
    /// <summary>Efron's approximation (Efron, JASA 1977; 72:557–565), R's default and the closer one to the exact likelihood.</summary>
    Efron,

    /// <summary>Breslow's approximation (Breslow, Biometrics 1974; 30:89–99); its score test at zero is the (Mantel–Byar) log-rank test.</summary>
    Breslow,
}
