using System.Globalization;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Fhir;

/// <summary>
/// One analysed study version as a FHIR R4 transaction Bundle: a DiagnosticReport (preliminary, radiology), one
/// Observation per finding (its code, confidence and regions), and a Task for the reading worklist whose priority is
/// the triage's. Each entry is a conditional create on its own business identifier, an id the same for every attempt
/// of the version (<see cref="NoticeIds.DeliveryId"/>), so a Bundle sent again creates nothing twice. The patient and
/// the study are referenced by identifier (the Patient ID with its issuer, the Study Instance UID as <c>urn:oid:</c>):
/// the node does not know the server's resource ids, and a server that knows the identifiers can resolve them.
/// </summary>
public static class FhirBundleWriter
{
    /// <summary>RFC 3986 URIs as identifier values (FHIR R4 2.24.0.7 Identifier: system <c>urn:ietf:rfc:3986</c>).</summary>
    public const string UriSystem = "urn:ietf:rfc:3986";

    /// <summary>FHIR's identifier system for DICOM UIDs (ImagingStudy.identifier, R4 notes: <c>urn:dicom:uid</c>).</summary>
    public const string DicomUidSystem = "urn:dicom:uid";

    public const string Dcm = "http://dicom.nema.org/resources/ontology/DCM";

    public const string Snomed = "http://snomed.info/sct";

    public const string Loinc = "http://loinc.org";

    public const string Ucum = "http://unitsofmeasure.org";

    public const string V2Table0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

    public const string V2Table0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>The business identifier of the version's DiagnosticReport: the notice id of channel <c>fhir</c>.</summary>
    public static string ReportId(Notice notice) => "urn:uuid:" + NoticeIds.DeliveryId(notice.StudyInstanceUid, notice.Version, FhirOptions.ChannelName);

    public static FhirBundle Write(Notice notice)
    {
        var issued = Instant(notice.AnalysedAt);
        var subject = Patient(notice);
        var study = new FhirReference
        {
            Type = "ImagingStudy",
            Identifier = new FhirIdentifier { System = DicomUidSystem, Value = "urn:oid:" + notice.StudyInstanceUid },
        };
        var reportId = ReportId(notice);
        var entries = new List<FhirBundleEntry>();
        var results = new List<FhirReference>();
        for (var i = 0; i < notice.Findings.Count; i++)
        {
            var id = Id(notice, string.Create(CultureInfo.InvariantCulture, $"Observation/{i + 1}"));
            results.Add(new FhirReference { Reference = id });
            entries.Add(Create(id, Observation(notice.Findings[i], id, subject, study, issued)));
        }

        var report = new FhirDiagnosticReport
        {
            Identifier = [new FhirIdentifier { System = UriSystem, Value = reportId }],
            BasedOn = notice.AccessionNumber is { } accession
                ? [new FhirReference { Type = "ServiceRequest", Identifier = new FhirIdentifier { Type = V2("ACSN", "Accession ID"), Value = accession } }]
                : null,
            Status = "preliminary",
            Category = [new FhirCodeableConcept([new FhirCoding(Loinc, "LP29684-5", "Radiology"), new FhirCoding(V2Table0074, "RAD", "Radiology")])],
            Code = new FhirCodeableConcept([new FhirCoding(Loinc, "18748-4", "Diagnostic imaging study")],
                $"AI analysis of {notice.Modality ?? "imaging"} (MiniGPT-Med, unverified)"),
            Subject = subject,
            Issued = issued,
            Result = results.Count == 0 ? null : results,
            ImagingStudy = [study],
            Conclusion = string.IsNullOrWhiteSpace(notice.Narrative) ? notice.Summary : notice.Narrative,
            ConclusionCode = notice.Findings.Count == 0 ? null : notice.Findings.Select(f => Concept(f)).DistinctBy(c => c.Coding![0]).ToList(),
        };
        entries.Insert(0, Create(reportId, report));

        var taskId = Id(notice, "Task");
        entries.Add(Create(taskId, new FhirTask
        {
            Identifier = [new FhirIdentifier { System = UriSystem, Value = taskId }],
            Status = "requested",
            Intent = "order",
            Priority = Priority(notice.Priority),
            Code = new FhirCodeableConcept(null, "Read the study (AI triage: " + notice.Priority.ToText() + ")"),
            Description = notice.Summary,
            Focus = new FhirReference { Reference = reportId, Type = "DiagnosticReport" },
            For = subject,
            AuthoredOn = issued,
        }));

        return new FhirBundle
        {
            Type = "transaction",
            Identifier = new FhirIdentifier { System = UriSystem, Value = Id(notice, "Bundle") },
            Timestamp = issued,
            Entry = entries,
        };
    }

    /// <summary>
    /// FHIR request-priority (routine | urgent | asap | stat). A failed analysis is never sent as a notice today; were
    /// it, it would be asap: the model gave no reassurance, and it is more than an urgent finding's reading order.
    /// </summary>
    public static string Priority(TriagePriority priority) => priority switch
    {
        TriagePriority.Stat => "stat",
        TriagePriority.Urgent => "urgent",
        TriagePriority.Failed => "asap",
        _ => "routine",
    };

    private static FhirObservation Observation(TriageFinding finding, string id, FhirReference? subject, FhirReference study, string issued)
    {
        var components = new List<FhirObservationComponent>();
        if (finding.Confidence is { } confidence)
        {
            // As in the SR: (111012, DCM, "Certainty of Finding") in %, two decimals.
            components.Add(new FhirObservationComponent
            {
                Code = new FhirCodeableConcept([new FhirCoding(Dcm, "111012", "Certainty of Finding")]),
                ValueQuantity = new FhirQuantity(Math.Round((decimal)confidence * 100m, 2), "%", Ucum, "%"),
            });
        }

        foreach (var box in finding.Boxes ?? [])
        {
            // (111030, DCM, "Image Region"): the rectangle on the source frame in its pixels, as the SR's SCOORD.
            components.Add(new FhirObservationComponent
            {
                Code = new FhirCodeableConcept([new FhirCoding(Dcm, "111030", "Image Region")]),
                ValueString = string.Create(CultureInfo.InvariantCulture,
                    $"RECTANGLE {box.X1},{box.Y1} {box.X2},{box.Y2} (column,row in pixels) on SOP Instance {box.SopInstanceUid} frame {box.Frame}"),
            });
        }

        return new FhirObservation
        {
            Identifier = [new FhirIdentifier { System = UriSystem, Value = id }],
            Status = "preliminary",
            Category = [new FhirCodeableConcept([new FhirCoding(ObservationCategory, "imaging", "Imaging")])],
            Code = new FhirCodeableConcept([new FhirCoding(Dcm, "121071", "Finding")]),
            Subject = subject,
            Issued = issued,
            ValueCodeableConcept = Concept(finding),
            Note = finding.Boxes is null && finding.Regions > 0
                ? [new FhirAnnotation(string.Create(CultureInfo.InvariantCulture, $"{finding.Regions} image region(s): see the DICOM SR"))]
                : null,
            DerivedFrom = [study],
            Component = components.Count == 0 ? null : components,
        };
    }

    private static FhirCodeableConcept Concept(TriageFinding finding) =>
        new([new FhirCoding(CodeSystem(finding.Scheme), finding.Code, finding.Meaning)], finding.Phrase);

    /// <summary>The FHIR system of a DICOM coding scheme designator (PS3.16 8: SCT, DCM, LN; ours is private).</summary>
    public static string CodeSystem(string scheme) => scheme switch
    {
        "SCT" => Snomed,
        "DCM" => Dcm,
        "LN" => Loinc,
        _ => "urn:minigptmed:codes:" + Uri.EscapeDataString(scheme),
    };

    /// <summary>
    /// The patient by identifier: the Patient ID (type MR), its system from the Issuer of Patient ID when that is an OID
    /// (<c>urn:oid:</c>) or an absolute URI, else the issuer as the assigner's name. No Patient ID, no subject.
    /// </summary>
    private static FhirReference? Patient(Notice notice)
    {
        if (notice.PatientId is not { Length: > 0 } id)
        {
            return null;
        }

        var issuer = notice.IssuerOfPatientId;
        string? system = null;
        FhirReference? assigner = null;
        if (issuer is { Length: > 0 })
        {
            if (IsOid(issuer))
            {
                system = "urn:oid:" + issuer;
            }
            else if (Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1)
            {
                system = issuer;
            }
            else
            {
                assigner = new FhirReference { Display = issuer };
            }
        }

        return new FhirReference
        {
            Type = "Patient",
            Identifier = new FhirIdentifier { Type = V2("MR", "Medical record number"), System = system, Value = id, Assigner = assigner },
        };
    }

    private static bool IsOid(string value) =>
        value.Length > 2 && value.All(c => c is '.' || char.IsAsciiDigit(c)) && !value.StartsWith('.') && !value.EndsWith('.') && !value.Contains("..", StringComparison.Ordinal);

    private static FhirCodeableConcept V2(string code, string display) => new([new FhirCoding(V2Table0203, code, display)]);

    private static string Id(Notice notice, string what) =>
        "urn:uuid:" + NoticeIds.DeliveryId(notice.StudyInstanceUid, notice.Version, FhirOptions.ChannelName + "/" + what);

    private static FhirBundleEntry Create(string id, FhirResource resource)
    {
        var type = resource switch
        {
            FhirDiagnosticReport => "DiagnosticReport",
            FhirObservation => "Observation",
            _ => "Task",
        };
        // FHIR R4 3.1.0.8.1: the search that must find nothing for the create to happen (token search: system|value).
        var condition = "identifier=" + Uri.EscapeDataString(UriSystem) + "|" + Uri.EscapeDataString(id);
        return new FhirBundleEntry(id, resource, new FhirBundleRequest("POST", type, condition));
    }

    /// <summary>FHIR instant: to the millisecond with the offset.</summary>
    private static string Instant(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
