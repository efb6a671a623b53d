using System.Globalization;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.StructuredReport.Templates;

/// <summary>
/// Writes a Comprehensive 3D SR (PS3.3 A.35.13, SOP class 1.2.840.10008.5.1.4.1.1.88.34) whose content is
/// PS3.16 TID 1500 "Imaging Measurement Report": language (TID 1204), a device observer (TID 1002/1004), the
/// procedure reported, the Image Library (TID 1600) of every analysed image, one Planar ROI measurement group
/// (TID 1410) per located finding, and the narrative and answers as TEXT under Qualitative Evaluations.
/// The report is marked PARTIAL and UNVERIFIED: a device wrote it and no one has checked it.
/// </summary>
public static class ImagingMeasurementReport
{
    /// <summary>What the series says when the caller gives no description (LO, at most 64 characters).</summary>
    public const string DefaultSeriesDescription = "AI-generated report, not verified by a radiologist";

    /// <summary>
    /// Builds the SR data set.
    /// </summary>
    /// <param name="content">What the report says; the first image's data set is the source of patient and study.</param>
    /// <param name="identity">SOP Class must be Comprehensive 3D SR Storage and Modality SR; an empty Series
    /// Description becomes <see cref="DefaultSeriesDescription"/>.</param>
    /// <param name="device">The node: General Equipment and the TID 1004 device observer (its UID is required).</param>
    /// <param name="createdAt">Content Date/Time and Instance Creation Date/Time, in its own offset.</param>
    /// <exception cref="ArgumentException">
    /// Bad input, named in the message: no image; nothing to report (no finding, narrative or answer); a finding on
    /// an image not listed, or whose region is empty or not inside its image (the caller clips with
    /// <see cref="PixelRectangle.ClipTo"/> and says so); a private coding scheme used but not declared; a tracking
    /// UID that is not a UID; anything <see cref="DerivedObjectHeader.Create"/> refuses.
    /// </exception>
    public static DicomDataset Create(MeasurementReportContent content, DerivedObjectIdentity identity, DeviceIdentity device, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(device);
        if (content.Images.Count == 0)
        {
            throw new ArgumentException("A report needs at least one analysed image (TID 1600 Image Library).", nameof(content));
        }

        if (content.Findings.Count == 0 && string.IsNullOrWhiteSpace(content.Narrative) && content.Answers.Count == 0)
        {
            throw new ArgumentException("Nothing to report: no finding, no narrative and no answer (TID 1500 needs Imaging Measurements or Qualitative Evaluations).", nameof(content));
        }

        if (identity.SopClassUid != DicomUid.Comprehensive3DSRStorage.Value || identity.Modality != "SR")
        {
            throw new ArgumentException($"The report is a Comprehensive 3D SR ({DicomUid.Comprehensive3DSRStorage.Value}) of modality SR; the identity says {identity.SopClassUid}, {identity.Modality}.", nameof(identity));
        }

        if (!DicomUid.IsValid(device.DeviceUid))
        {
            throw new ArgumentException("DeviceIdentity.DeviceUid must be a UID: TID 1004 row 1 (Device Observer UID) is mandatory.", nameof(device));
        }

        var source = content.Images[0].Dataset;
        var procedures = ProceduresReported(source, content);
        var schemes = SchemesToDeclare(content, procedures);
        ValidateFindings(content);

        if (string.IsNullOrEmpty(identity.SeriesDescription))
        {
            identity = identity with { SeriesDescription = DefaultSeriesDescription };
        }

        var document = DerivedObjectHeader.Create(source, identity, device, createdAt);
        DerivedObjectHeader.EnsureCharacterSetFor(document, TextsOf(content, device, procedures, schemes));

        WriteDocumentModules(document, content, schemes, createdAt);

        var root = ContainerContentItem.CreateRoot(document, ReportCodes.ImagingMeasurementReport, "1500");
        WriteLanguage(root, content);
        WriteObserverContext(root, device);
        foreach (var procedure in procedures)
        {
            // TID 1500 row 4.
            root.AddCode(RelationshipType.HasConceptMod, ReportCodes.ProcedureReported, procedure);
        }

        WriteImageLibrary(root, content.Images);
        if (content.Findings.Count > 0)
        {
            // TID 1500 row 6, with TID 1410 (row 9) once per finding.
            var measurements = root.AddContainer(RelationshipType.Contains, ReportCodes.ImagingMeasurements);
            foreach (var finding in content.Findings)
            {
                WritePlanarRoi(measurements, finding, content);
            }
        }

        WriteQualitativeEvaluations(root, content);
        return document;
    }

    /// <summary>The report as a Part 10 file in Explicit VR Little Endian.</summary>
    public static DicomFile CreateFile(MeasurementReportContent content, DerivedObjectIdentity identity, DeviceIdentity device, DateTimeOffset createdAt)
    {
        var dataset = Create(content, identity, device, createdAt);
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        return new DicomFile(DicomFileWriter.BuildFileMetaInformation(dataset, syntax), dataset, syntax);
    }

    private static void WriteDocumentModules(DicomDataset document, MeasurementReportContent content, List<CodingSchemeDeclaration> schemes, DateTimeOffset createdAt)
    {
        // SR Document Series (PS3.3 C.17.1): Referenced Performed Procedure Step Sequence is Type 2.
        document.AddOrUpdate(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence));

        // SR Document General (PS3.3 C.17.2).
        document.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, DerivedObjectHeader.FormatDate(createdAt));
        document.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, DerivedObjectHeader.FormatTime(createdAt));
        // C.17.2.1: PARTIAL, the content is not complete (a device's first reading); UNVERIFIED, no one attested it.
        document.AddOrUpdate(DicomTags.CompletionFlag, DicomVR.CS, "PARTIAL");
        document.AddOrUpdate(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED");
        document.AddOrUpdate(new DicomSequence(DicomTags.PerformedProcedureCodeSequence));
        WriteEvidence(document, DicomTags.CurrentRequestedProcedureEvidenceSequence,
            content.Images.Select(i => new SopInstanceReference(
                i.Dataset.GetString(DicomTags.StudyInstanceUID) ?? string.Empty,
                i.Dataset.GetString(DicomTags.SeriesInstanceUID) ?? string.Empty,
                i.Reference.SopClassUid,
                i.Reference.SopInstanceUid)));
        if (content.Predecessor is { } predecessor)
        {
            WriteEvidence(document, DicomTags.PredecessorDocumentsSequence, [predecessor]);
        }

        if (schemes.Count > 0)
        {
            // SOP Common (PS3.3 C.12.1): what the private designators stand for.
            foreach (var scheme in schemes)
            {
                scheme.WriteTo(SrDatasets.AppendItem(document, DicomTags.CodingSchemeIdentificationSequence));
            }
        }
    }

    /// <summary>The Hierarchical SOP Instance Reference Macro (PS3.3 Table C.17-3): study, series, instances.</summary>
    private static void WriteEvidence(DicomDataset document, DicomTag tag, IEnumerable<SopInstanceReference> references)
    {
        foreach (var study in references.DistinctBy(r => r.SopInstanceUid).GroupBy(r => r.StudyInstanceUid))
        {
            var studyItem = SrDatasets.AppendItem(document, tag);
            RequireUid(study.Key, "Study Instance UID of an analysed image");
            studyItem.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study.Key);
            foreach (var series in study.GroupBy(r => r.SeriesInstanceUid))
            {
                RequireUid(series.Key, "Series Instance UID of an analysed image");
                var seriesItem = SrDatasets.AppendItem(studyItem, DicomTags.ReferencedSeriesSequence);
                seriesItem.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series.Key);
                foreach (var instance in series)
                {
                    var instanceItem = SrDatasets.AppendItem(seriesItem, DicomTags.ReferencedSOPSequence);
                    RequireUid(instance.SopClassUid, "SOP Class UID of an analysed image");
                    RequireUid(instance.SopInstanceUid, "SOP Instance UID of an analysed image");
                    instanceItem.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, instance.SopClassUid);
                    instanceItem.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, instance.SopInstanceUid);
                }
            }
        }
    }

    private static void WriteLanguage(ContainerContentItem root, MeasurementReportContent content)
    {
        // TID 1500 row 2, TID 1204: the language and, as its modifier, the country.
        var language = root.AddCode(RelationshipType.HasConceptMod, ReportCodes.LanguageOfContentItemAndDescendants, content.Language);
        if (content.Country is { } country)
        {
            language.AddCode(RelationshipType.HasConceptMod, ReportCodes.CountryOfLanguage, country);
        }
    }

    private static void WriteObserverContext(ContainerContentItem root, DeviceIdentity device)
    {
        // TID 1500 row 3, TID 1001 > TID 1002 (observer type Device) > TID 1004.
        root.AddCode(RelationshipType.HasObsContext, ReportCodes.ObserverType, ReportCodes.Device);
        root.AddUidRef(RelationshipType.HasObsContext, ReportCodes.DeviceObserverUid, device.DeviceUid);
        AddTextIfAny(root, RelationshipType.HasObsContext, ReportCodes.DeviceObserverName, device.Name);
        AddTextIfAny(root, RelationshipType.HasObsContext, ReportCodes.DeviceObserverManufacturer, device.Manufacturer);
        AddTextIfAny(root, RelationshipType.HasObsContext, ReportCodes.DeviceObserverModelName, device.ModelName);
        AddTextIfAny(root, RelationshipType.HasObsContext, ReportCodes.DeviceObserverSerialNumber, device.SerialNumber);
    }

    private static void WriteImageLibrary(ContainerContentItem root, IReadOnlyList<AnalysedImage> images)
    {
        // TID 1600: one group; one TID 1601 entry per instance, listing the frames analysed of a multi-frame image.
        var library = root.AddContainer(RelationshipType.Contains, ReportCodes.ImageLibrary);
        var group = library.AddContainer(RelationshipType.Contains, ReportCodes.ImageLibraryGroup);
        foreach (var instance in images.GroupBy(i => i.Reference.SopInstanceUid))
        {
            var first = instance.First();
            var frames = IsMultiFrame(first.Dataset) ? instance.Select(i => i.Reference.FrameNumber).Distinct().Order().ToArray() : null;
            var entry = group.AddImage(RelationshipType.Contains, null, first.Reference.SopClassUid, first.Reference.SopInstanceUid, frames);
            WriteDescriptors(entry, first);
        }
    }

    private static void WriteDescriptors(ImageContentItem entry, AnalysedImage image)
    {
        // TID 1602 rows 1, 4, 5, 10, 11, 12; pixel spacing as TID 1603 rows 5-6 / TID 1604 rows 1-2.
        var dataset = image.Dataset;
        if (ProcedureCodes.AcquisitionModality(dataset.GetString(DicomTags.Modality)) is { } modality)
        {
            entry.AddCode(RelationshipType.HasAcqContext, ReportCodes.Modality, modality);
        }

        if (dataset.TryGetValue<DateOnly>(DicomTags.StudyDate, out var studyDate))
        {
            entry.AddDate(RelationshipType.HasAcqContext, ReportCodes.StudyDate, studyDate);
        }

        if (dataset.TryGetValue<TimeOnly>(DicomTags.StudyTime, out var studyTime))
        {
            entry.AddTime(RelationshipType.HasAcqContext, ReportCodes.StudyTime, studyTime);
        }

        if (dataset.GetString(DicomTags.FrameOfReferenceUID) is { } frameOfReference && DicomUid.IsValid(frameOfReference))
        {
            entry.AddUidRef(RelationshipType.HasAcqContext, ReportCodes.FrameOfReferenceUid, frameOfReference);
        }

        entry.AddNum(RelationshipType.HasAcqContext, ReportCodes.PixelDataRows, image.Reference.Rows, ReportCodes.Pixels);
        entry.AddNum(RelationshipType.HasAcqContext, ReportCodes.PixelDataColumns, image.Reference.Columns, ReportCodes.Pixels);
        if (image.Reference.PixelSpacing is { } spacing)
        {
            entry.AddNum(RelationshipType.HasAcqContext, ReportCodes.HorizontalPixelSpacing, spacing.Column, ReportCodes.Millimetre);
            entry.AddNum(RelationshipType.HasAcqContext, ReportCodes.VerticalPixelSpacing, spacing.Row, ReportCodes.Millimetre);
        }
    }

    private static void WritePlanarRoi(ContainerContentItem measurements, PlanarFinding finding, MeasurementReportContent content)
    {
        // TID 1410 Planar ROI Measurements and Qualitative Evaluations.
        var group = measurements.AddContainer(RelationshipType.Contains, ReportCodes.MeasurementGroup, "1410");
        group.AddText(RelationshipType.HasObsContext, ReportCodes.TrackingIdentifier, finding.TrackingIdentifier);
        group.AddUidRef(RelationshipType.HasObsContext, ReportCodes.TrackingUniqueIdentifier, finding.TrackingUid);
        group.AddCode(RelationshipType.Contains, ReportCodes.Finding, finding.Finding);
        WriteAlgorithm(group, content.Algorithm);

        // The region: a closed rectangle of 5 points in the referenced image's pixel coordinates (PS3.3 C.18.6.1.2),
        // SELECTED FROM the image and, for a multi-frame image, the frame.
        var region = group.AddSpatialCoordinates(RelationshipType.Contains, ReportCodes.ImageRegion, "POLYLINE", finding.Region.ToClosedPolyline());
        var image = content.Images.First(i => SameFrame(i.Reference, finding.Image));
        region.AddImage(RelationshipType.SelectedFrom, null, finding.Image.SopClassUid, finding.Image.SopInstanceUid,
            IsMultiFrame(image.Dataset) ? [finding.Image.FrameNumber] : null);

        if (finding.CertaintyPercent is { } certainty)
        {
            group.AddNum(RelationshipType.Contains, ReportCodes.CertaintyOfFinding, certainty, ReportCodes.Percent);
        }
    }

    private static void WriteAlgorithm(ContainerContentItem group, AlgorithmIdentification algorithm)
    {
        // TID 4019: name and version, then each parameter.
        group.AddText(RelationshipType.HasConceptMod, ReportCodes.AlgorithmName, algorithm.Name);
        group.AddText(RelationshipType.HasConceptMod, ReportCodes.AlgorithmVersion, algorithm.Version);
        foreach (var parameter in algorithm.Parameters.Where(p => !string.IsNullOrEmpty(p)))
        {
            group.AddText(RelationshipType.HasConceptMod, ReportCodes.AlgorithmParameters, parameter);
        }
    }

    private static void WriteQualitativeEvaluations(ContainerContentItem root, MeasurementReportContent content)
    {
        if (string.IsNullOrWhiteSpace(content.Narrative) && content.Answers.Count == 0)
        {
            return;
        }

        // TID 1500 row 12, with TEXT items (row 14).
        var evaluations = root.AddContainer(RelationshipType.Contains, ReportCodes.QualitativeEvaluations);
        if (!string.IsNullOrWhiteSpace(content.Narrative))
        {
            evaluations.AddText(RelationshipType.Contains, ReportCodes.NarrativeSummary, content.Narrative);
        }

        foreach (var answer in content.Answers)
        {
            // The answer is the evaluation; the question post-coordinates its concept name ("the answer to this
            // question"), which is what HAS CONCEPT MOD is for (PS3.3 C.17.3.2.4), and TID 1500 is extensible.
            var text = evaluations.AddText(RelationshipType.Contains, ReportCodes.Answer, answer.Answer);
            text.AddText(RelationshipType.HasConceptMod, ReportCodes.Question, answer.Question);
        }
    }

    private static List<CodedConcept> ProceduresReported(DicomDataset source, MeasurementReportContent content)
    {
        // TID 1500 row 4: the procedure as the source codes it, else what the caller gives, else one for the modality.
        var fromSource = source.GetSequence(DicomTags.ProcedureCodeSequence)?.Items.Select(CodedConcept.Read).OfType<CodedConcept>().ToList() ?? [];
        if (fromSource.Count > 0)
        {
            return fromSource;
        }

        return content.ProcedureReported.Count > 0
            ? [.. content.ProcedureReported]
            : [ProcedureCodes.ForModality(source.GetString(DicomTags.Modality))];
    }

    private static List<CodingSchemeDeclaration> SchemesToDeclare(MeasurementReportContent content, List<CodedConcept> procedures)
    {
        var declared = content.CodingSchemes.ToList();
        if (content.Answers.Count > 0 && declared.All(s => s.Designator != ReportCodes.QuestionAnswerScheme.Designator))
        {
            declared.Add(ReportCodes.QuestionAnswerScheme);
        }

        var used = content.Findings.Select(f => f.Finding).Concat(procedures).Append(content.Language);
        foreach (var code in used)
        {
            if (code.Scheme.StartsWith("99", StringComparison.Ordinal) && declared.All(s => s.Designator != code.Scheme))
            {
                throw new ArgumentException($"Code {code} uses the private coding scheme '{code.Scheme}', which is not declared: pass a CodingSchemeDeclaration for it (PS3.3 C.12.1.1.2).", nameof(content));
            }
        }

        return declared;
    }

    private static void ValidateFindings(MeasurementReportContent content)
    {
        for (var i = 0; i < content.Findings.Count; i++)
        {
            var finding = content.Findings[i];
            var name = string.Create(CultureInfo.InvariantCulture, $"Finding {i + 1} ('{finding.TrackingIdentifier}')");
            if (string.IsNullOrWhiteSpace(finding.TrackingIdentifier))
            {
                throw new ArgumentException($"{name}: the Tracking Identifier is empty (TID 1410 row 2).", nameof(content));
            }

            RequireUid(finding.TrackingUid, $"{name}: Tracking Unique Identifier");
            var analysed = content.Images.FirstOrDefault(image => SameFrame(image.Reference, finding.Image))
                ?? throw new ArgumentException($"{name} lies on image {finding.Image.SopInstanceUid} frame {finding.Image.FrameNumber}, which is not among the analysed images.", nameof(content));

            // The bounds are those of the image as analysed (the one the Image Library describes).
            var region = finding.Region;
            var reference = analysed.Reference;
            if (!region.LiesWithin(reference.Columns, reference.Rows) || region.Width <= 0 || region.Height <= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: region {region} is not a non-empty rectangle inside the {reference.Columns}x{reference.Rows} image (PS3.3 C.18.6.1.2: 0..Columns, 0..Rows); clip it to the image (PixelRectangle.ClipTo) and say so."), nameof(content));
            }

            if (finding.CertaintyPercent is { } certainty && (!double.IsFinite(certainty) || certainty < 0 || certainty > 100))
            {
                throw new ArgumentException($"{name}: certainty {certainty} is not a percentage (0 to 100).", nameof(content));
            }
        }
    }

    private static IEnumerable<string?> TextsOf(MeasurementReportContent content, DeviceIdentity device, List<CodedConcept> procedures, List<CodingSchemeDeclaration> schemes)
    {
        yield return content.Narrative;
        foreach (var answer in content.Answers)
        {
            yield return answer.Question;
            yield return answer.Answer;
        }

        foreach (var finding in content.Findings)
        {
            yield return finding.TrackingIdentifier;
            yield return finding.Finding.Meaning;
            yield return finding.Finding.Value;
        }

        yield return content.Algorithm.Name;
        yield return content.Algorithm.Version;
        foreach (var parameter in content.Algorithm.Parameters)
        {
            yield return parameter;
        }

        yield return device.Name;
        yield return device.Manufacturer;
        yield return device.ModelName;
        yield return device.SerialNumber;
        foreach (var code in procedures.Append(content.Language).Append(content.Country).OfType<CodedConcept>())
        {
            yield return code.Meaning;
            yield return code.Value;
        }

        foreach (var scheme in schemes)
        {
            yield return scheme.Name;
            yield return scheme.ResponsibleOrganization;
        }
    }

    private static void AddTextIfAny(ContentItem parent, RelationshipType relationship, CodedConcept name, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            parent.AddText(relationship, name, text);
        }
    }

    private static bool SameFrame(Imaging.SourceReference a, Imaging.SourceReference b) =>
        a.SopInstanceUid == b.SopInstanceUid && a.FrameNumber == b.FrameNumber;

    private static bool IsMultiFrame(DicomDataset dataset) =>
        dataset.TryGetValue<int>(DicomTags.NumberOfFrames, out var frames) && frames > 1;

    private static void RequireUid(string? uid, string what)
    {
        if (!DicomUid.IsValid(uid))
        {
            throw new ArgumentException($"{what} '{uid}' is not a valid UID (PS3.5 9.1).");
        }
    }
}
