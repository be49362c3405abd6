//! What reaches the UI: `{code, message, field}`. The code is stable and the UI branches
//! on it; the message is Spanish and names the field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Stable machine codes. Renaming one is a breaking change for the UI and for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    CampoRequerido,
    TextoDemasiadoLargo,
    TextoInvalido,
    ValorInvalido,
    MontoInvalido,
    MontoDecimales,
    MontoNoPositivo,
    /// Positive, but below the operation's smallest amount.
    MontoBajoMinimo,
    MontoExcedeMaximo,
    PinInvalido,
    NoAutenticado,
    PermisoDenegado,
    CredencialesInvalidas,
    OperadorBloqueado,
    YaInicializado,
    NombreDuplicado,
    NoEncontrado,
    SesionCerrada,
    SesionYaAbierta,
    OperadorConSesionAbierta,
    /// The change would leave the store without an active administrator.
    UltimoAdministrador,
    /// The logged-in operator's session ended (idle too long, deactivated, role changed).
    SesionExpirada,
    EspecialidadNoPermite,
    FondosInsuficientes,
    AutorizacionRequerida,
    ReferenciaDuplicada,
    SaldoProveedorInsuficiente,
    SaldoOperadoraInsuficiente,
    YaAnulada,
    ArchivoInvalido,
    /// The operation exceeds a provider's offline limit (single or total queued).
    LimiteFueraDeLinea,
    /// The amount breaks a limit the provider set for the operation (smallest or largest
    /// amount, the customer's daily or monthly total); the message says what remains.
    LimiteProveedor,
    /// The provider's rule asks for the customer's identity document and it was not given.
    IdentidadRequerida,
    /// The outbox row is not in a state that allows the action (retry an acked call...).
    EstadoNoPermite,
    /// The call may have reached the provider and its answer is awaited (a lookup, or a
    /// person with the provider's statement): it is not cancelled until then.
    EsperandoProveedor,
    /// The OS keyring could not store or read the provider's credentials.
    CredencialesNoDisponibles,
    /// The thermal printer could not be reached or did not take the job in time (the
    /// operation itself is already recorded; the system dialog can print it).
    ImpresoraNoDisponible,
    /// The provider's API could not be reached or did not answer as its contract says.
    ProveedorNoDisponible,
    /// The provider's contract offers no transaction list to reconcile against.
    ConciliacionNoDisponible,
    BaseDeDatosMasNueva,
    BaseDeDatosEnUso,
    /// Something changed between reading and writing (a lost race): nothing was saved,
    /// the same request may simply be sent again.
    Conflicto,
    ErrorInterno,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS)]
#[error("{message}")]
pub struct CoreError {
    pub code: ErrorCode,
    pub message: String,
    /// The input field the error is about, as named in the command's input.
    pub field: Option<String>,
}

impl CoreError {
    pub fn new(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        CoreError { code, message: message.into(), field: Some(field.to_string()) }
    }

    pub fn general(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError { code, message: message.into(), field: None }
    }

    pub fn required(field: &str) -> Self {
        Self::new(ErrorCode::CampoRequerido, field, format!("El campo «{}» es obligatorio.", label(field)))
    }

    /// `what` is the thing looked for, with its article: "la caja", "la sesión".
    pub fn not_found(field: &str, what: &str) -> Self {
        Self::new(ErrorCode::NoEncontrado, field, format!("No existe {what} indicada en «{}».", label(field)))
    }

    pub fn invalid(field: &str, detail: &str) -> Self {
        Self::new(ErrorCode::ValorInvalido, field, format!("El campo «{}» {detail}.", label(field)))
    }

    pub fn not_logged_in() -> Self {
        Self::general(ErrorCode::NoAutenticado, "Inicie sesión con su nombre y PIN para continuar.")
    }

    pub fn session_ended(message: impl Into<String>) -> Self {
        Self::general(ErrorCode::SesionExpirada, message)
    }

    pub fn forbidden(action: &str) -> Self {
        Self::general(
            ErrorCode::PermisoDenegado,
            format!("Solo un administrador puede {action}."),
        )
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        log::error!("error interno: {detail}");
        Self::general(
            ErrorCode::ErrorInterno,
            "Ocurrió un error interno; no se guardó ningún cambio. Avise al administrador.",
        )
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(err: rusqlite::Error) -> Self {
        CoreError::internal(err)
    }
}

/// The Spanish name of each input field, for messages: (wire key, label). A field not
/// listed is named by its wire key.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("name", "nombre"),
    ("pin", "PIN"),
    ("role", "rol"),
    ("specialty", "especialidad"),
    ("register_id", "caja"),
    ("session_id", "sesión"),
    ("opening_float", "fondo inicial"),
    ("kind", "tipo"),
    ("reason", "motivo"),
    ("amount", "monto"),
    ("note", "nota"),
    ("counts", "conteo"),
    ("authorization", "autorización"),
    ("close_difference_threshold", "umbral de diferencia"),
    ("status", "estado"),
    ("from_date", "desde"),
    ("to_date", "hasta"),
    ("page", "página"),
    ("size", "tamaño de página"),
    ("operator_id", "operador"),
    ("code", "código"),
    ("banco", "banco"),
    ("tipo", "tipo"),
    ("tipo_operacion", "tipo de operación"),
    ("monto", "monto"),
    ("comision_cliente", "comisión del cliente"),
    ("nro_referencia", "número de referencia"),
    ("id_caja_sesion", "sesión de caja"),
    ("comprobante", "comprobante"),
    ("archivo", "archivo de respaldo"),
    ("carpeta", "carpeta"),
    ("hora_diaria", "hora del respaldo diario"),
    ("carpeta_extra", "segunda carpeta"),
    ("conservar_diarios", "respaldos diarios a conservar"),
    ("conservar_mensuales", "respaldos mensuales a conservar"),
    ("nota", "nota"),
    ("motivo", "motivo"),
    ("id", "identificador"),
    ("csv", "archivo de comisiones"),
    ("desde", "desde"),
    ("hasta", "hasta"),
    ("language", "idioma"),
    ("ids", "operaciones"),
    ("despues_de", "después de"),
    ("nombre", "nombre de la tienda"),
    ("punto_codigo", "código del punto de servicio"),
    ("punto_nombre", "nombre del punto de servicio"),
    ("punto_ciudad_id", "código del municipio"),
    ("punto_ciudad", "municipio"),
    ("punto_departamento", "código del departamento"),
    ("direccion", "dirección"),
    ("nit", "NIT"),
    ("operadora", "operadora"),
    ("telefono", "teléfono"),
    ("bonificacion_porcentaje", "bonificación"),
    ("pendienteId", "orden de trabajo"),
    ("cliente", "cliente"),
    ("fechaPago", "fecha de pago"),
    ("metodoPago", "método de pago"),
    ("referencia", "referencia"),
    ("cuenta_cliente", "cuenta del cliente"),
    ("cuit_cliente", "CUIT del cliente"),
    ("contrato", "contrato"),
    ("url_base", "dirección del servicio"),
    ("cuenta_tienda", "cuenta de la tienda"),
    ("limite_operacion", "límite por operación"),
    ("limite_pendiente", "límite pendiente de envío"),
    ("usuario", "usuario"),
    ("secreto", "contraseña o secreto"),
    ("estado", "estado"),
    ("fecha", "fecha"),
    ("ruta", "archivo"),
    ("extracto", "extracto del proveedor"),
    ("enviar_retiro", "enviar retiros"),
    ("url_token", "dirección del token"),
    ("zona_horaria", "zona horaria del banco"),
    ("tipo_deposito", "forma del tipo de depósito"),
    ("terminal_id", "código de terminal"),
    ("ip_terminal", "IP de la terminal"),
    ("ip_servidor", "IP del servidor"),
    ("usuario_modificador", "usuario modificador"),
    ("unidad_expiracion", "unidad de vencimiento del token"),
    ("unidad_saldo", "unidad del saldo de la billetera"),
    ("concepto", "concepto"),
    ("dias_lista_confiable", "días que cubre la lista de la billetera"),
    ("segundos_espera_consulta", "espera antes de creer que la billetera no la tiene"),
    ("new_pin", "PIN nuevo"),
    ("current_pin", "PIN actual"),
    ("recovery_code", "código de recuperación"),
    ("idle_logout_minutes", "cierre por inactividad"),
    ("ci_numero", "número de CI"),
    ("ci_complemento", "complemento del CI"),
    ("ci_expedido", "lugar de expedición del CI"),
    ("cliente_nombre", "nombre del cliente"),
    ("motivo_comision", "motivo del cambio de comisión"),
    ("monto_minimo", "monto mínimo"),
    ("monto_maximo", "monto máximo"),
    ("total_diario", "total diario"),
    ("total_mensual", "total mensual"),
    ("identidad", "pedir documento"),
    ("identidad_desde", "pedir documento desde"),
    ("redondeo", "redondeo"),
    ("bandas", "bandas de la tarifa"),
    ("texto", "búsqueda"),
    ("action", "acción"),
    ("ancho", "ancho del papel"),
];

/// The Spanish name of an input field, for messages; the wire key stays in `field`.
pub fn label(field: &str) -> &str {
    FIELD_LABELS.iter().find(|(key, _)| *key == field).map_or(field, |&(_, label)| label)
}

pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Each wire key has one label: a second entry would never be reached.
    #[test]
    fn every_field_is_labelled_once_and_unlisted_fields_keep_their_key() {
        let mut keys: Vec<&str> = FIELD_LABELS.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a wire key is listed twice");
        assert_eq!(label("opening_float"), "fondo inicial");
        assert_eq!(label("ancho"), "ancho del papel");
        assert_eq!(label("campo_desconocido"), "campo_desconocido");
    }

    /// The UI and scripts branch on these strings: a rename must fail here first.
    #[test]
    fn the_codes_keep_their_wire_names() {
        let pinned = [
            (ErrorCode::MontoNoPositivo, "MONTO_NO_POSITIVO"),
            (ErrorCode::MontoBajoMinimo, "MONTO_BAJO_MINIMO"),
            (ErrorCode::ValorInvalido, "VALOR_INVALIDO"),
            (ErrorCode::NoEncontrado, "NO_ENCONTRADO"),
            (ErrorCode::Conflicto, "CONFLICTO"),
            (ErrorCode::EsperandoProveedor, "ESPERANDO_PROVEEDOR"),
            (ErrorCode::LimiteProveedor, "LIMITE_PROVEEDOR"),
            (ErrorCode::IdentidadRequerida, "IDENTIDAD_REQUERIDA"),
            (ErrorCode::ImpresoraNoDisponible, "IMPRESORA_NO_DISPONIBLE"),
            (ErrorCode::ErrorInterno, "ERROR_INTERNO"),
        ];
        for (code, wire) in pinned {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::Value::from(wire));
        }
    }
}
