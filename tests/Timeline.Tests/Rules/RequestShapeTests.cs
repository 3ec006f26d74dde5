using Timeline.Projections.Events;
using Timeline.Recording;
using static Timeline.Tests.Patients.TestDates;

namespace Timeline.Tests.Rules;

/// <summary>
/// The shape of each recording route's body (ToFact): required fields, ranges and vocabularies, checked
/// before any clinical rule, each complaint filed under the field it concerns.
/// </summary>
public class RequestShapeTests
{
    static readonly DateOnly Date = D("2019-03-01");

    /// <summary>The fields complained about, in the order they were found, and the fact built anyway.</summary>
    static (string[] Fields, ClinicalFact Fact) Shape(IFactRequest request, string prefix = "")
    {
        var errors = new FieldErrors(prefix);
        var fact = request.ToFact(errors);
        return ([.. errors.ToDictionary().Keys], fact);
    }

    static ClinicalFact ShouldBeWellFormed(IFactRequest request)
    {
        var (fields, fact) = Shape(request);
        fields.ShouldBeEmpty();
        return fact;
    }

    static void ShouldComplainAbout(IFactRequest request, params string[] fields) =>
        Shape(request).Fields.ShouldBe(fields, ignoreOrder: true);

    // ---- required fields ---------------------------------------------------------------------------------

    [Fact]
    public void A_progression_without_a_date_is_malformed() => ShouldComplainAbout(new RecordProgression(null), "date");

    [Fact]
    public void A_relapse_without_a_date_is_malformed() => ShouldComplainAbout(new RecordRelapse(null), "date");

    [Fact]
    public void A_follow_up_without_a_date_is_malformed() => ShouldComplainAbout(new RecordFollowUp(null), "date");

    [Fact]
    public void A_death_without_a_date_is_malformed_but_its_cause_is_optional() =>
        ShouldComplainAbout(new RecordDeath(null, null), "date");

    [Fact]
    public void A_death_with_a_date_and_no_cause_is_well_formed() =>
        ShouldBeWellFormed(new RecordDeath(Date, null)).ShouldBe(new DeathRecorded(Date, null));

    [Fact]
    public void An_enrolment_without_birth_date_or_sex_names_both() =>
        ShouldComplainAbout(new EnrolPatient("SARC-001", null, null), "birthDate", "sex");

    [Fact]
    public void A_line_start_without_a_start_date_is_malformed() =>
        ShouldComplainAbout(new StartTreatmentLine(1, null, null, ["doxorubicin"]), "startDate");

    [Fact]
    public void A_line_end_without_its_line_date_or_reason_names_each() =>
        ShouldComplainAbout(new EndTreatmentLine(null, null, null), "line", "date", "reason");

    [Fact]
    public void A_response_without_category_is_malformed() =>
        ShouldComplainAbout(new AssessResponse(Date, 1, null), "category");

    [Fact]
    public void An_adverse_event_without_term_or_grade_names_both() =>
        ShouldComplainAbout(new RecordAdverseEvent(Date, null, " ", null), "term", "grade");

    [Fact]
    public void A_missing_grade_is_reported_once_not_also_as_out_of_range()
    {
        var errors = new FieldErrors();
        new RecordAdverseEvent(Date, null, "Nausea", null).ToFact(errors);
        errors.ToDictionary()["grade"].ShouldHaveSingleItem().ShouldBe("grade is required.");
    }

    [Fact]
    public void Complaints_in_a_replacement_are_filed_under_the_replacement_prefix() =>
        Shape(new RecordAdverseEvent(null, null, "Nausea", 6), "replacement.").Fields
            .ShouldBe(["replacement.date", "replacement.grade"], ignoreOrder: true);

    // ---- ranges ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void A_grade_outside_1_to_5_is_malformed(int grade) =>
        ShouldComplainAbout(new RecordAdverseEvent(Date, null, "Nausea", grade), "grade");

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Grades_1_and_5_are_the_bounds(int grade) =>
        ShouldBeWellFormed(new RecordAdverseEvent(Date, null, "Nausea", grade))
            .ShouldBe(new AdverseEventRecorded(Date, null, "Nausea", grade));

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-2)]
    public void A_line_number_outside_1_to_99_is_malformed(int line)
    {
        ShouldComplainAbout(new StartTreatmentLine(line, Date, null, ["doxorubicin"]), "line");
        ShouldComplainAbout(new EndTreatmentLine(Date, LineEndReason.Completed, line), "line");
        ShouldComplainAbout(new AssessResponse(Date, line, RecistCategory.PR), "line");
        ShouldComplainAbout(new RecordAdverseEvent(Date, line, "Nausea", 2), "line");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    public void Lines_1_and_99_are_the_bounds(int line) =>
        ((TreatmentLineStarted)ShouldBeWellFormed(new StartTreatmentLine(line, Date, null, ["doxorubicin"]))).Line.ShouldBe(line);

    [Fact]
    public void An_adverse_event_without_a_line_is_well_formed() =>
        ShouldBeWellFormed(new RecordAdverseEvent(Date, null, " Nausea ", 2)).ShouldBe(new AdverseEventRecorded(Date, null, "Nausea", 2));

    // ---- agents ------------------------------------------------------------------------------------------

    [Fact]
    public void A_line_with_an_empty_agent_list_is_malformed() =>
        ShouldComplainAbout(new StartTreatmentLine(1, Date, null, []), "agents");

    [Fact]
    public void A_line_without_agents_is_malformed() =>
        ShouldComplainAbout(new StartTreatmentLine(1, Date, null, null), "agents");

    [Fact]
    public void A_blank_agent_is_named_by_its_position() =>
        ShouldComplainAbout(new StartTreatmentLine(1, Date, null, ["ifosfamide", "  "]), "agents[1]");

    [Fact]
    public void More_than_twenty_agents_is_malformed() =>
        ShouldComplainAbout(new StartTreatmentLine(1, Date, null, [.. Enumerable.Range(1, 21).Select(i => $"drug{i}")]), "agents");

    [Fact]
    public void Agents_and_regimen_are_trimmed_and_a_blank_regimen_is_none()
    {
        var fact = (TreatmentLineStarted)ShouldBeWellFormed(new StartTreatmentLine(2, Date, "  ", [" sorafenib "]));
        fact.Regimen.ShouldBeNull();
        fact.Agents.ShouldBe(["sorafenib"]);
    }

    // ---- histology ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("osteosarcoma", "9180/3")]
    [InlineData("9180/3", "9180/3")]
    [InlineData("Synovial sarcoma", "9040/3")]
    [InlineData("SYNOVIAL SARCOMA", "9040/3")]
    [InlineData("synovial-sarcoma", "9040/3")]
    [InlineData("Chondrosarcoma", "9220/3")]
    [InlineData("rhabdomyosarcoma", "8900/3")]
    [InlineData("Ewing sarcoma", "9260/3")]
    [InlineData(" 9040/3 ", "9040/3")]
    [InlineData("8810/3", "8810/3")]
    public void A_histology_is_read_by_name_case_insensitively_or_by_ICD_O_3_code(string histology, string code) =>
        ((DiagnosisRecorded)ShouldBeWellFormed(new RecordDiagnosis(Date, histology, null, null))).Histology.ShouldBe(code);

    [Theory]
    [InlineData("banana")]
    [InlineData("osteo sarcoma")]
    [InlineData("9180")]
    [InlineData("9180/4")]
    [InlineData("918/3")]
    [InlineData("M-9180/3")]
    public void An_unknown_histology_is_malformed(string histology) =>
        ShouldComplainAbout(new RecordDiagnosis(Date, histology, null, null), "histology");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_histology_is_malformed(string? histology) =>
        ShouldComplainAbout(new RecordDiagnosis(Date, histology, null, null), "histology");

    [Fact]
    public void A_diagnosis_without_a_date_is_malformed() =>
        ShouldComplainAbout(new RecordDiagnosis(null, "osteosarcoma", null, null), "date");

    [Fact]
    public void A_diagnosis_keeps_its_site_and_metastatic_status() =>
        ShouldBeWellFormed(new RecordDiagnosis(Date, "osteosarcoma", " distal femur ", true))
            .ShouldBe(new DiagnosisRecorded(Date, "9180/3", "distal femur", true));
}
