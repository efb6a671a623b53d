using System.Globalization;
using System.Text;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// An HL7 v2.5.1 ORU^R01 (unsolicited observation result, Chapter 7) for one analysed study version:
/// MSH (MSH-10 stable per study version, MSH-18 UNICODE UTF-8), PID, ORC, OBR (accession as placer order number, the
/// study as filler order number, OBR-25 P: preliminary, priority in OBR-27 and TQ1-9), then per finding an OBX CWE
/// (121071, DCM, "Finding") with its code and an OBX NM (111012, DCM, "Certainty of Finding") in percent, grouped by
/// OBX-4 sub-id; the narrative as OBX FT (111412, DCM, "Narrative Summary"); the triage summary as OBX ST.
/// </summary>
public static class OruR01Writer
{
    /// <summary>HL7 table 0485 (priority): S stat, A ASAP (urgent), R routine.</summary>
    public static (string Code, string Text) Priority(TriagePriority priority) => priority switch
    {
        TriagePriority.Stat => ("S", "Stat"),
        TriagePriority.Urgent => ("A", "ASAP"),
        _ => ("R", "Routine"),
    };

    public static string Write(Notice notice, Hl7Options options, DateTimeOffset now)
    {
        var segments = new List<Hl7Segment>();
        var controlId = NoticeIds.ControlId(notice.StudyInstanceUid, notice.Version);
        segments.Add(new Hl7Segment("MSH")
            .Text(3, options.SendingApplication)
            .Text(4, options.SendingFacility)
            .Text(5, options.ReceivingApplication)
            .Text(6, options.ReceivingFacility)
            .Field(7, Timestamp(now))
            .Field(9, Hl7Segment.Components("ORU", "R01", "ORU_R01"))
            .Text(10, controlId)
            .Text(11, options.ProcessingId)
            .Field(12, "2.5.1")
            // MSH-18 (2.15.9.18, table 0211): the message is UTF-8.
            .Field(18, "UNICODE UTF-8"));

        // PID-3 CX: ID ^ check digit ^ scheme ^ assigning authority (the DICOM Issuer of Patient ID).
        // PID-5 XPN: family ^ given ^ middle ^ suffix ^ prefix, from DICOM PN family ^ given ^ middle ^ prefix ^ suffix.
        var name = (notice.PatientName ?? "").Split('=')[0].Split('^');
        string? Part(int i) => i < name.Length ? name[i] : null;
        segments.Add(new Hl7Segment("PID")
            .Field(1, "1")
            .Field(3, Hl7Segment.Components(notice.PatientId, null, null, notice.IssuerOfPatientId))
            .Field(5, Hl7Segment.Components(Part(0), Part(1), Part(2), Part(4), Part(3)))
            .Text(7, notice.PatientBirthDate)
            .Text(8, notice.PatientSex));

        var placer = Hl7Segment.Components(notice.AccessionNumber);
        var filler = Hl7Segment.Components(notice.StudyInstanceUid, options.SendingApplication);
        var (priorityCode, priorityText) = Priority(notice.Priority);
        segments.Add(new Hl7Segment("ORC")
            .Field(1, "RE")
            .Field(2, placer)
            .Field(3, filler)
            .Field(5, "CM")
            .Field(9, Timestamp(notice.AnalysedAt)));
        segments.Add(new Hl7Segment("OBR")
            .Field(1, "1")
            .Field(2, placer)
            .Field(3, filler)
            .Field(4, Hl7Segment.Components("AI-" + (notice.Modality ?? "IMG"), $"AI analysis of {notice.Modality ?? "images"} (MiniGPT-Med)", "99MGM"))
            .Field(7, Timestamp(notice.AnalysedAt))
            .Field(22, Timestamp(notice.AnalysedAt))
            .Field(24, "RAD")
            .Field(25, "P")
            // OBR-27 TQ (kept for backward compatibility in 2.5.1), component 6: priority.
            .Field(27, "^^^^^" + priorityCode));
        segments.Add(new Hl7Segment("TQ1")
            .Field(1, "1")
            .Field(9, Hl7Segment.Components(priorityCode, priorityText, "HL70485")));

        var obx = 0;
        var group = 0;
        foreach (var finding in notice.Findings)
        {
            group++;
            var sub = group.ToString(CultureInfo.InvariantCulture);
            segments.Add(Obx(++obx, "CWE", Hl7Segment.Components("121071", "Finding", "DCM"), sub,
                Hl7Segment.Components(finding.Code, finding.Meaning, finding.Scheme, null, finding.Phrase)));
            if (finding.Confidence is { } confidence)
            {
                segments.Add(Obx(++obx, "NM", Hl7Segment.Components("111012", "Certainty of Finding", "DCM"), sub,
                    Math.Round(confidence * 100, 2).ToString("0.##", CultureInfo.InvariantCulture))
                    .Field(6, Hl7Segment.Components("%", "percent", "UCUM")));
            }
        }

        if (!string.IsNullOrEmpty(notice.Narrative))
        {
            segments.Add(Obx(++obx, "FT", Hl7Segment.Components("111412", "Narrative Summary", "DCM"), null, Hl7Escaping.Escape(notice.Narrative, formattedText: true)));
        }

        segments.Add(Obx(++obx, "ST", Hl7Segment.Components("TRIAGE", "Triage summary", "99MGM"), null, Hl7Escaping.Escape(notice.Summary)));

        var message = new StringBuilder();
        foreach (var segment in segments)
        {
            message.Append(segment.Encode()).Append('\r');
        }

        return message.ToString();
    }

    private static Hl7Segment Obx(int setId, string valueType, string identifier, string? subId, string value) =>
        new Hl7Segment("OBX")
            .Field(1, setId.ToString(CultureInfo.InvariantCulture))
            .Field(2, valueType)
            .Field(3, identifier)
            .Field(4, subId)
            .Field(5, value)
            // OBX-11 (table 0085): P, preliminary — no radiologist has verified it.
            .Field(11, "P");

    /// <summary>DTM with the offset (2A.3.22): YYYYMMDDHHMMSS+ZZZZ.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + time.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
}
