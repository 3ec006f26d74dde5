using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Projections.Study;

namespace Timeline.Tests.Comparisons;

/// <summary>The covariate columns of DOMAIN.md ("Covariates"): references, level order, absent levels, unknown values.</summary>
public class CoxCovariatesTests
{
    static readonly DateOnly Anchor = new(2019, 9, 1);

    static PatientOutcome Patient(string id, string? histology, Sex? sex = Sex.Female, bool? metastatic = false, string birth = "2004-09-01") =>
        new(id, histology, DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), Anchor,
            new SecondLineRelapseAnchor(Anchor, "progression", Guid.Empty), null, null, null, null, "control", null,
            new SurvivalInterval(100, true), null, null, null, sex, metastatic);

    [Fact]
    public void Levels_follow_the_pages_order_and_absent_ones_are_dropped()
    {
        // Cohort: 3 synovial (9040/3), 3 osteosarcoma (9180/3), 1 Ewing (9260/3): the tie goes to the lower code.
        List<PatientOutcome> cohort =
        [
            Patient("A", "9180/3"), Patient("B", "9180/3"), Patient("C", "9180/3", Sex.Male),
            Patient("D", "9040/3"), Patient("E", "9040/3", metastatic: true), Patient("F", "9040/3"), Patient("G", "9260/3"),
        ];
        var model = cohort.Where(p => p.PatientId != "G").ToList(); // Ewing absent from the model

        var design = CoxCovariates.Build(model, ["histology", "sex", "metastatic", "ageAtAnchor"], cohort);

        // Columns follow the known order, whatever the request's; the reference levels have none.
        design.Names.ShouldBe(["ageAtAnchor", "sex=male", "metastatic=true", "histology=9180/3"]);
        design.Rows["A"].ShouldBe([(Anchor.DayNumber - new DateOnly(2004, 9, 1).DayNumber) / 365.25, 0, 0, 1]);
        design.Rows["D"][3].ShouldBe(0); // 9040/3 is the reference: first in the pages' order
        design.Rows["C"][1].ShouldBe(1);
        design.Missing.ShouldBeEmpty();
    }

    [Fact]
    public void Unknown_values_leave_the_patient_out_and_one_level_gives_no_column()
    {
        List<PatientOutcome> cohort = [Patient("A", "9180/3"), Patient("B", "9180/3", Sex.Unknown), Patient("C", "9180/3", metastatic: null)];

        var design = CoxCovariates.Build(cohort, ["sex", "metastatic", "histology"], cohort);

        design.Names.ShouldBeEmpty(); // every remaining patient is female, not metastatic, osteosarcoma
        design.Rows.Keys.ShouldBe(["A"]);
        design.Missing.Select(m => m.PatientId).ShouldBe(["B", "C"]);
        design.Missing[0].Reason.ShouldStartWith("sex unknown");
    }
}
