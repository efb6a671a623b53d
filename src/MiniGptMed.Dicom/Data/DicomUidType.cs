namespace MiniGptMed.Dicom.Data;

/// <summary>The "UID Type" column of PS3.6 Annex A, Table A-1 (close kinds folded together).</summary>
public enum DicomUidType
{
    Other,
    TransferSyntax,
    SopClass,
    MetaSopClass,

    /// <summary>Well-known SOP instances, including the printer and print queue instances.</summary>
    WellKnownSopInstance,
    ApplicationContextName,

    /// <summary>Coding schemes, including "DICOM UIDs as a Coding Scheme".</summary>
    CodingScheme,

    /// <summary>Well-known frames of reference, including the synchronization frame of reference.</summary>
    WellKnownFrameOfReference,
    ServiceClass,
    LdapOid,
}
