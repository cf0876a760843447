pub mod checker;
pub mod workdir;
