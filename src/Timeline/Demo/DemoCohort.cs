// SYNTHETIC demonstration cohort — not patient data.
//
// Every patient, date and fact below is invented. The reference study (Cancer Medicine 2025,
// doi 10.1002/cam4.70951; see docs/DOMAIN.md) publishes only its abstract, so these histories were
// designed, with DOMAIN.md's definitions of the derived quantities, to reproduce the abstract's figures:
//   - 18 mTKI patients (13 osteosarcoma, 3 synovial sarcoma, 1 chondrosarcoma, 1 rhabdomyosarcoma)
//     on sorafenib (7), regorafenib (6) or pazopanib (5) as first mTKI line;
//   - median age at first mTKI start 16.5 years (ages 9–24);
//   - median time to progression 122 days = 4.0 months (Kaplan–Meier; 4 of 18 censored);
//   - best overall response on the first mTKI line: 3 PR of 18 (ORR 16.7%);
//   - overall survival of osteosarcoma after the second-line relapse anchor, 13 on mTKI against
//     12 retrospective controls: log-rank chi-square 8.13 on 1 df, p = 0.004.
// Two further osteosarcoma patients have no anchor and are excluded from the survival comparison.
// tests/Timeline.Tests/Demo/DemoCohortTests.cs re-derives every figure from these facts.

using System.Globalization;

namespace Timeline.Demo;

/// <summary>One fact as a client would send it: the patient, the kind of route, and the route's JSON body (API.md).</summary>
/// <param name="PatientId">The pseudonymous study id.</param>
/// <param name="Type">
/// The route: enrolment, diagnosis, treatment-line, treatment-line-end, response, progression, relapse,
/// adverse-event, follow-up or death.
/// </param>
/// <param name="Body">The route's body: an anonymous object with camelCase names and yyyy-MM-dd dates.</param>
public sealed record DemoFact(string PatientId, string Type, object Body);

/// <summary>
/// A SYNTHETIC demonstration cohort that reproduces the reference study's abstract (see the comment at
/// the top of this file). Facts are in recording order: patient by patient, each in clinical order.
/// </summary>
public static class DemoCohort
{
    public const string Label = "SYNTHETIC demonstration cohort — not patient data";

    private const string Osteosarcoma = "osteosarcoma";
    private const string SynovialSarcoma = "synovial sarcoma";
    private const string Chondrosarcoma = "chondrosarcoma";
    private const string Rhabdomyosarcoma = "rhabdomyosarcoma";

    /// <summary>First- and second-line chemotherapy per histology: (regimen, agents).</summary>
    private static readonly Dictionary<string, ((string Regimen, string[] Agents) First, (string Regimen, string[] Agents) Second)> Regimens = new()
    {
        [Osteosarcoma] = (("MAP", ["methotrexate", "doxorubicin", "cisplatin"]), ("IE", ["ifosfamide", "etoposide"])),
        [SynovialSarcoma] = (("IFO-DOX", ["ifosfamide", "doxorubicin"]), ("trabectedin", ["trabectedin"])),
        [Chondrosarcoma] = (("DOX-CDDP", ["doxorubicin", "cisplatin"]), ("GEM-DOC", ["gemcitabine", "docetaxel"])),
        [Rhabdomyosarcoma] = (("IVA", ["ifosfamide", "vincristine", "dactinomycin"]), ("VIT", ["vincristine", "irinotecan", "temozolomide"])),
    };

    // Declared after Regimens: static initializers run in textual order and Build reads Regimens.
    /// <summary>Every fact of every patient, in recording order, patient by patient.</summary>
    public static IReadOnlyList<DemoFact> Facts { get; } = Build();

    private static List<DemoFact> Build()
    {
        var cohort = new Cohort();

        // The 18 mTKI patients: osteosarcoma, then synovial sarcoma, chondrosarcoma, rhabdomyosarcoma.
        // Lines 1 and 2 are the histology's standard chemotherapy (see Regimens); the progression that
        // ends line 2 is the second-line relapse anchor; line 3 is the first mTKI line.
        cohort.Patient("DEMO-OS-01", "male", born: "2000-03-01")
            .Diagnosed("2013-06-18", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2013-07-03", completed: "2014-02-19")
            .Relapse("2015-09-07")
            .SecondLine("2015-09-27", progression: "2016-03-14")
            .Line(3, "2016-04-13", "sorafenib", "sorafenib")
            .Adverse(3, "2016-05-04", "Palmar-plantar erythrodysesthesia syndrome", grade: 2)
            .Assess(3, "2016-05-11 SD", "2016-05-31 PD")
            .Progression("2016-05-31", ending: 3)
            .Died("2016-08-11");

        cohort.Patient("DEMO-OS-02", "female", born: "1999-08-04")
            .Diagnosed("2015-04-12", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2015-04-27", completed: "2015-12-10")
            .Relapse("2016-06-29")
            .SecondLine("2016-07-10", progression: "2017-01-09")
            .Line(3, "2017-02-02", "regorafenib", "regorafenib")
            .Adverse(3, "2017-02-16", "Hypertension", grade: 2)
            .Assess(3, "2017-03-30 PD")
            .Progression("2017-03-30", ending: 3)
            .Died("2017-08-07");

        cohort.Patient("DEMO-OS-03", "male", born: "2001-08-26")
            .Diagnosed("2012-09-14", Osteosarcoma, "proximal humerus", metastatic: true)
            .FrontLine("2012-09-29", completed: "2013-04-15")
            .Adverse(1, "2012-11-20", "Febrile neutropenia", grade: 3)
            .Relapse("2015-02-14")
            .SecondLine("2015-03-06", progression: "2015-06-22")
            .Line(3, "2015-07-27", "sorafenib", "sorafenib")
            .Adverse(3, "2015-08-26", "Diarrhoea", grade: 1)
            .Assess(3, "2015-09-15 SD", "2015-10-19 PD")
            .Progression("2015-10-19", ending: 3)
            .Died("2016-02-22");

        cohort.Patient("DEMO-OS-04", "male", born: "1999-08-10")
            .Diagnosed("2015-08-04", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2015-08-12", completed: "2016-04-01")
            .Relapse("2017-10-27")
            .SecondLine("2017-11-07", progression: "2018-02-05")
            .Line(3, "2018-02-26", "regorafenib", "regorafenib")
            .Adverse(3, "2018-03-10", "Palmar-plantar erythrodysesthesia syndrome", grade: 3)
            .Assess(3, "2018-04-23 SD", "2018-06-11 PD")
            .Progression("2018-06-11", ending: 3)
            .Died("2018-11-22");

        cohort.Patient("DEMO-OS-05", "female", born: "2003-10-19")
            .Diagnosed("2017-08-07", Osteosarcoma, "distal femur", metastatic: true)
            .FrontLine("2017-08-15", completed: "2018-03-11")
            .Relapse("2018-10-28")
            .SecondLine("2018-11-10", progression: "2019-04-15")
            .Line(3, "2019-04-15", "sorafenib", "sorafenib")       // started the day of the anchor progression
            .Adverse(3, "2019-05-25", "Pneumothorax", grade: 2)
            .Assess(3, "2019-06-14 SD", "2019-08-08 PD")
            .Progression("2019-08-08", ending: 3)
            .Died("2020-02-29");

        cohort.Patient("DEMO-OS-06", "male", born: "1996-06-13")
            .Diagnosed("2015-03-25", Osteosarcoma, "pelvis", metastatic: false)
            .FrontLine("2015-04-10", completed: "2015-11-20")
            .Relapse("2016-05-05")
            .SecondLine("2016-05-18", progression: "2016-10-03")
            .Line(3, "2016-11-12", "pazopanib", "pazopanib")
            .Adverse(3, "2016-12-02", "Hypertension", grade: 2)
            .Assess(3, "2017-01-07 SD", "2017-03-14 PD")
            .Progression("2017-03-14", ending: 3)
            .Died("2017-10-03");

        cohort.Patient("DEMO-OS-07", "male", born: "2003-03-28")
            .Diagnosed("2015-09-03", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2015-09-10", completed: "2016-04-25")
            .Relapse("2017-02-11")
            .SecondLine("2017-02-27", progression: "2017-08-21")
            .Line(3, "2017-09-18", "sorafenib", "sorafenib")
            .Adverse(3, "2017-10-23", "Palmar-plantar erythrodysesthesia syndrome", grade: 2)
            .Assess(3, "2017-11-13 SD", "2018-01-08 SD", "2018-03-05 PD")
            .Progression("2018-03-05", ending: 3)
            .Line(4, "2018-03-19", "regorafenib", "regorafenib")    // a second mTKI line: TTP and BOR stay with line 3
            .Progression("2018-06-25", ending: 4)
            .Died("2018-09-25");

        cohort.Patient("DEMO-OS-08", "female", born: "2008-02-15")
            .Diagnosed("2017-11-08", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2017-11-26", completed: "2018-07-09")
            .Relapse("2019-10-19")
            .SecondLine("2019-11-05", progression: "2020-05-11")
            .Line(3, "2020-07-15", "regorafenib", "regorafenib")
            .Adverse(3, "2020-08-05", "Fatigue", grade: 1)
            .Assess(3, "2020-09-09 SD", "2020-12-02 SD", "2021-03-24 SD", "2021-06-16 SD")
            .FollowUp("2021-07-15");

        cohort.Patient("DEMO-OS-09", "male", born: "1999-02-19")
            .Diagnosed("2016-03-02", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2016-03-18", completed: "2016-10-30")
            .Relapse("2018-05-31")
            .SecondLine("2018-06-15", progression: "2018-09-17")
            .Adverse(2, "2018-07-02", "Mucositis oral", grade: 2)
            .Line(3, "2018-10-22", "sorafenib", "sorafenib")
            .Adverse(3, "2018-11-09", "Diarrhoea", grade: 2)
            .Assess(3, "2018-12-21 SD", "2019-02-25 SD", "2019-05-20 PD")
            .Progression("2019-05-20", ending: 3)
            .Died("2020-01-10");

        cohort.Patient("DEMO-OS-10", "female", born: "2002-12-13")
            .Diagnosed("2016-09-08", Osteosarcoma, "distal femur", metastatic: true)
            .FrontLine("2016-09-19", completed: "2017-04-30")
            .Relapse("2018-10-09")
            .SecondLine("2018-10-28", progression: "2019-01-28")
            .Line(3, "2019-03-02", "pazopanib", "pazopanib")
            .Adverse(3, "2019-03-30", "Alanine aminotransferase increased", grade: 2)
            .Assess(3, "2019-04-27 SD", "2019-07-20 SD", "2019-11-02 PD")
            .Progression("2019-11-02", ending: 3)
            .Died("2020-07-21");

        cohort.Patient("DEMO-OS-11", "male", born: "2003-08-07")
            .Diagnosed("2018-07-18", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2018-07-29", completed: "2019-03-18")
            .Relapse("2020-11-16")
            .SecondLine("2020-11-26", progression: "2021-03-01")
            .Line(3, "2021-04-30", "regorafenib", "regorafenib")
            .Adverse(3, "2021-05-14", "Hypertension", grade: 2)
            .Assess(3, "2021-06-25 SD", "2021-10-15 SD", "2022-02-04 SD", "2022-05-27 SD", "2022-09-16 SD")
            .FollowUp("2022-10-22");                             // on treatment, progression-free: censored

        cohort.Patient("DEMO-OS-12", "male", born: "1995-05-24")
            .Diagnosed("2014-01-31", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2014-02-15", completed: "2014-09-25")
            .Relapse("2016-01-12")
            .SecondLine("2016-01-30", progression: "2016-05-16")
            .Line(3, "2016-06-25", "sorafenib", "sorafenib")
            .Adverse(3, "2016-07-20", "Palmar-plantar erythrodysesthesia syndrome", grade: 2)
            .Assess(3, "2016-08-20 SD", "2016-10-15 PR", "2017-01-07 PR", "2017-04-22 PD")
            .Progression("2017-04-22", ending: 3)
            .FollowUp("2017-11-14")
            .Died("2018-05-06");

        cohort.Patient("DEMO-OS-13", "female", born: "2003-02-07")
            .Diagnosed("2020-01-14", Osteosarcoma, "proximal humerus", metastatic: false)
            .FrontLine("2020-01-27", completed: "2020-08-17")
            .Relapse("2021-03-14")
            .SecondLine("2021-03-25", progression: "2021-09-06")
            .Line(3, "2021-10-06", "regorafenib", "regorafenib")
            .Adverse(3, "2021-10-16", "Palmar-plantar erythrodysesthesia syndrome", grade: 3)
            .Assess(3, "2021-12-29 PR", "2022-03-23 PR", "2022-06-15 PR", "2022-09-07 SD", "2022-11-30 PD")
            .Progression("2022-11-30", ending: 3)
            .FollowUp("2024-01-04");

        cohort.Patient("DEMO-SS-01", "female", born: "2004-04-27")
            .Diagnosed("2016-11-06", SynovialSarcoma, "thigh", metastatic: false)
            .FrontLine("2016-11-21", completed: "2017-06-26")
            .Relapse("2019-04-06")
            .SecondLine("2019-04-25", progression: "2019-10-07")
            .Line(3, "2019-10-28", "pazopanib", "pazopanib")
            .Assess(3, "2019-12-23 PR", "2020-02-17 PR")
            .Adverse(3, "2020-03-24", "Alanine aminotransferase increased", grade: 3)
            .End(3, "2020-03-26", "toxicity")
            .FollowUp("2020-05-05");

        cohort.Patient("DEMO-SS-02", "male", born: "1997-11-13")
            .Diagnosed("2014-06-10", SynovialSarcoma, "popliteal fossa", metastatic: true)
            .FrontLine("2014-06-23", completed: "2015-01-28")
            .Relapse("2016-10-24")
            .SecondLine("2016-11-08", progression: "2017-04-10")
            .Line(3, "2017-05-08", "pazopanib", "pazopanib")
            .Adverse(3, "2017-06-07", "Hypertension", grade: 2)
            .Assess(3, "2017-07-03 SD", "2017-08-07 PD")
            .Progression("2017-08-07", ending: 3)
            .Died("2018-03-04");

        cohort.Patient("DEMO-SS-03", "female", born: "2005-07-29")
            .Diagnosed("2019-10-18", SynovialSarcoma, "shoulder", metastatic: true)
            .FrontLine("2019-11-07", completed: "2020-06-06")
            .Relapse("2021-08-11")
            .SecondLine("2021-08-29", progression: "2022-02-14")
            .Line(3, "2022-02-28", "pazopanib", "pazopanib")
            .Progression("2022-04-04", ending: 3)
            .Died("2022-06-18");

        cohort.Patient("DEMO-CS-01", "male", born: "1991-03-25")
            .Diagnosed("2013-06-02", Chondrosarcoma, "pelvis", metastatic: false)
            .FrontLine("2013-06-18", completed: "2014-01-24")
            .Relapse("2015-06-05")
            .SecondLine("2015-06-20", progression: "2015-11-02")
            .Line(3, "2015-12-17", "sorafenib", "sorafenib")
            .Adverse(3, "2016-01-06", "Palmar-plantar erythrodysesthesia syndrome", grade: 2)
            .Assess(3, "2016-01-28 SD", "2016-02-16 PD")         // SD on day 42 exactly counts
            .Progression("2016-02-16", ending: 3)
            .Died("2017-01-20");

        cohort.Patient("DEMO-RMS-01", "male", born: "2011-10-28")
            .Diagnosed("2018-09-29", Rhabdomyosarcoma, "parameningeal", metastatic: true)
            .FrontLine("2018-10-06", completed: "2019-04-21")
            .Relapse("2020-08-12")
            .SecondLine("2020-08-31", progression: "2020-11-16")
            .Line(3, "2020-12-07", "regorafenib", "regorafenib")
            .Adverse(3, "2021-01-04", "Diarrhoea", grade: 3)
            .Assess(3, "2021-01-11 SD")                          // day 35: too early to count as SD
            .Died("2021-02-15", cause: "other", ending: 3);     // no progression: TTP censored at death

        // The retrospective control group: osteosarcoma after MAP and IE, never an mTKI.
        cohort.Patient("DEMO-CTRL-01", "male", born: "1993-02-05")
            .Diagnosed("2008-01-09", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2008-01-23", completed: "2008-09-04")
            .Relapse("2009-01-13")
            .SecondLine("2009-01-24", progression: "2009-05-18")
            .Line(3, "2009-06-06", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2009-10-05", ending: 3)
            .Died("2010-01-13");

        cohort.Patient("DEMO-CTRL-02", "female", born: "1992-06-09")
            .Diagnosed("2007-03-19", Osteosarcoma, "proximal tibia", metastatic: true)
            .FrontLine("2007-04-03", completed: "2007-10-31")
            .Relapse("2009-08-30")
            .SecondLine("2009-09-10", progression: "2010-02-01")
            .Died("2010-04-02");

        cohort.Patient("DEMO-CTRL-03", "male", born: "1993-01-23")
            .Diagnosed("2010-06-03", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2010-06-13", completed: "2011-01-26")
            .Relapse("2011-06-11")
            .SecondLine("2011-06-24", progression: "2011-09-12")
            .Line(3, "2011-10-04", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2012-03-21", ending: 3)
            .Died("2012-08-07");

        cohort.Patient("DEMO-CTRL-04", "male", born: "1992-01-10")
            .Diagnosed("2006-07-16", Osteosarcoma, "pelvis", metastatic: true)
            .FrontLine("2006-07-24", completed: "2007-03-16")
            .Adverse(1, "2006-09-12", "Febrile neutropenia", grade: 3)
            .Relapse("2008-04-22")
            .SecondLine("2008-05-06", progression: "2008-11-03")
            .Died("2009-01-27");

        cohort.Patient("DEMO-CTRL-05", "female", born: "1995-09-22")
            .Diagnosed("2010-06-27", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2010-07-04", completed: "2011-02-13")
            .Relapse("2012-03-02")
            .SecondLine("2012-03-14", progression: "2012-06-25")
            .Line(3, "2012-07-09", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2012-09-16", ending: 3)
            .FollowUp("2012-11-12");

        cohort.Patient("DEMO-CTRL-06", "male", born: "1990-07-31")
            .Diagnosed("2007-10-13", Osteosarcoma, "proximal humerus", metastatic: false)
            .FrontLine("2007-10-30", completed: "2008-05-29")
            .Relapse("2010-04-24")
            .SecondLine("2010-05-06", progression: "2010-10-04")
            .Died("2011-02-01");

        cohort.Patient("DEMO-CTRL-07", "female", born: "2000-06-26")
            .Diagnosed("2011-04-18", Osteosarcoma, "distal femur", metastatic: true)
            .FrontLine("2011-05-04", completed: "2011-11-23")
            .Relapse("2012-12-10")
            .SecondLine("2012-12-30", progression: "2013-03-11")
            .Died("2013-06-19");

        cohort.Patient("DEMO-CTRL-08", "male", born: "1991-05-27")
            .Diagnosed("2008-07-10", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2008-07-17", completed: "2009-02-01")
            .Relapse("2010-07-25")
            .SecondLine("2010-08-10", progression: "2011-01-24")
            .Line(3, "2011-02-11", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2011-09-09", ending: 3)
            .Died("2012-02-28");

        cohort.Patient("DEMO-CTRL-09", "male", born: "1993-02-06")
            .Diagnosed("2011-12-31", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2012-01-08", completed: "2012-08-24")
            .Relapse("2013-11-22")
            .SecondLine("2013-12-09", progression: "2014-04-07")
            .Line(3, "2014-04-23", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2014-09-26", ending: 3)
            .FollowUp("2015-02-01");

        cohort.Patient("DEMO-CTRL-10", "female", born: "1994-12-29")
            .Diagnosed("2007-11-04", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2007-11-24", completed: "2008-06-18")
            .Relapse("2009-05-09")
            .SecondLine("2009-05-19", progression: "2009-08-31")
            .Line(3, "2009-09-15", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2009-11-28", ending: 3)
            .Died("2010-01-28");

        cohort.Patient("DEMO-CTRL-11", "male", born: "1991-03-01")
            .Diagnosed("2009-11-13", Osteosarcoma, "distal femur", metastatic: true)
            .FrontLine("2009-11-26", completed: "2010-07-11")
            .Relapse("2011-10-04")
            .SecondLine("2011-10-19", progression: "2012-01-16")
            .Died("2012-05-15");

        cohort.Patient("DEMO-CTRL-12", "female", born: "1993-06-03")
            .Diagnosed("2011-08-15", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2011-08-30", completed: "2012-03-30")
            .Relapse("2013-05-06")
            .SecondLine("2013-05-26", progression: "2013-09-30")
            .Line(3, "2013-10-31", "GEM-DOC", "gemcitabine", "docetaxel")
            .Progression("2014-02-22", ending: 3)
            .Died("2014-05-28");

        // Excluded from the survival comparison (no second-line relapse anchor), never an mTKI.
        // No line 2: in remission after MAP.
        cohort.Patient("DEMO-EXCL-01", "female", born: "2005-10-14")
            .Diagnosed("2019-02-11", Osteosarcoma, "distal femur", metastatic: false)
            .FrontLine("2019-02-20", completed: "2019-09-18")
            .FollowUp("2024-11-04");

        // Line 2 after a relapse, then in remission: no progression or relapse on or after line 2 started.
        cohort.Patient("DEMO-EXCL-02", "male", born: "2001-01-30")
            .Diagnosed("2015-04-27", Osteosarcoma, "proximal tibia", metastatic: false)
            .FrontLine("2015-05-06", completed: "2015-11-27")
            .Relapse("2017-03-08")
            .Line(2, "2017-03-22", "IE", "ifosfamide", "etoposide")
            .End(2, "2017-08-30", "completed")
            .FollowUp("2023-06-12");

        return cohort.Facts();
    }

    private sealed class Cohort
    {
        private readonly List<PatientHistory> patients = [];

        public PatientHistory Patient(string id, string sex, string born)
        {
            var patient = new PatientHistory(id, sex, born);
            patients.Add(patient);
            return patient;
        }

        public List<DemoFact> Facts() => [.. patients.SelectMany(p => p.InRecordingOrder())];
    }

    /// <summary>
    /// One patient's facts. Calls may come in any order; the facts are recorded in clinical-date order,
    /// ties in the order of the calls (a line's start before what names it, a line's end before a death).
    /// </summary>
    private sealed class PatientHistory
    {
        private readonly string id;
        private readonly List<(DateOnly Date, DemoFact Fact)> facts = [];
        private string histology = "";

        public PatientHistory(string id, string sex, string born)
        {
            this.id = id;
            Add(born, "enrolment", new { patientId = id, birthDate = born, sex });
        }

        public PatientHistory Diagnosed(string date, string histology, string primarySite, bool metastatic)
        {
            this.histology = histology;
            return Add(date, "diagnosis", new { date, histology, primarySite, metastatic });
        }

        /// <summary>Line 1, the histology's first-line chemotherapy, completed.</summary>
        public PatientHistory FrontLine(string start, string completed)
        {
            var (regimen, agents) = Regimens[histology].First;
            return Line(1, start, regimen, agents).End(1, completed, "completed");
        }

        /// <summary>Line 2, the histology's second-line chemotherapy, ended by a progression.</summary>
        public PatientHistory SecondLine(string start, string progression)
        {
            var (regimen, agents) = Regimens[histology].Second;
            return Line(2, start, regimen, agents).Progression(progression, ending: 2);
        }

        public PatientHistory Line(int line, string startDate, string regimen, params string[] agents) =>
            Add(startDate, "treatment-line", new { line, startDate, regimen, agents });

        public PatientHistory End(int line, string date, string reason) =>
            Add(date, "treatment-line-end", new { line, date, reason });

        /// <summary>Response assessments of a line, each "yyyy-MM-dd CATEGORY".</summary>
        public PatientHistory Assess(int line, params string[] assessments)
        {
            foreach (var assessment in assessments)
            {
                var parts = assessment.Split(' ');
                var (date, category) = (parts[0], parts[1]);
                Add(date, "response", new { date, line, category });
            }

            return this;
        }

        /// <summary>A progression; with <paramref name="ending"/>, that line ends on the same day for progression.</summary>
        public PatientHistory Progression(string date, int? ending = null)
        {
            Add(date, "progression", new { date });
            return ending is { } line ? End(line, date, "progression") : this;
        }

        public PatientHistory Relapse(string date) => Add(date, "relapse", new { date });

        public PatientHistory Adverse(int line, string date, string term, int grade) =>
            Add(date, "adverse-event", new { date, line, term, grade });

        public PatientHistory FollowUp(string date) => Add(date, "follow-up", new { date });

        /// <summary>The death; with <paramref name="ending"/>, that line ends on the same day for death.</summary>
        public PatientHistory Died(string date, string cause = "disease", int? ending = null)
        {
            if (ending is { } line)
            {
                End(line, date, "death");
            }

            return Add(date, "death", new { date, cause });
        }

        public IEnumerable<DemoFact> InRecordingOrder() => facts.OrderBy(f => f.Date).Select(f => f.Fact);

        private PatientHistory Add(string date, string type, object body)
        {
            facts.Add((DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture), new DemoFact(id, type, body)));
            return this;
        }
    }
}
